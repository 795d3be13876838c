import { CONDITION_FIELDS } from "../../click/flow-schema";
import type { flowJson } from "../../click/flow-store";

/**
 * The flow editor's form, as text: fields are named by their place in the API's flow
 * (`flow.rules[0].conditions[1].values`), so zod's issue paths point at the input they concern.
 * Buttons named `op` add or remove rows on the server; only "save" validates and stores.
 */
export interface DraftPath {
  id: string;
  name: string;
  weight: string;
  landers: { landerId: string; weight: string }[];
  offers: { offerId: string; weight: string }[];
  /** The path's `optimize` as JSON text; "" = fixed weights (docs/rules.md). */
  optimize: string;
}
export interface DraftRule {
  id: string;
  name: string;
  conditions: { field: string; op: string; values: string }[];
  paths: DraftPath[];
}
export interface Draft {
  rules: DraftRule[];
  defaultPaths: DraftPath[];
}

export const newPath = (n: number): DraftPath => ({
  id: "",
  name: `Path ${n}`,
  weight: "100",
  landers: [],
  offers: [{ offerId: "", weight: "100" }],
  optimize: "",
});

export function draftFromFlow(flow: ReturnType<typeof flowJson>): Draft {
  if (!flow) return { rules: [], defaultPaths: [newPath(1)] };
  const path = (p: NonNullable<typeof flow>["defaultPaths"][number]): DraftPath => ({
    id: String(p.id),
    name: p.name,
    weight: String(p.weight),
    landers: p.landers.map((l) => ({ landerId: String(l.landerId), weight: String(l.weight) })),
    offers: p.offers.map((o) => ({ offerId: String(o.offerId), weight: String(o.weight) })),
    optimize: p.optimize ? JSON.stringify(p.optimize) : "",
  });
  return {
    rules: flow.rules.map((r) => ({
      id: String(r.id),
      name: r.name,
      conditions: r.conditions.map((c) => ({ field: c.field, op: c.op, values: c.values.join("\n") })),
      paths: r.paths.map(path),
    })),
    defaultPaths: flow.defaultPaths.map(path),
  };
}

// Only these names are read from the form: nothing posted can reach an object's prototype.
const FORM_KEYS = new Set(
  "rules conditions paths defaultPaths landers offers id name weight field op values landerId offerId optimize".split(
    " ",
  ),
);

/** The posted fields named `flow.…` back into a draft (arrays left dense, in index order). */
export function draftFromForm(form: Record<string, string>): Draft {
  const root: Record<string, unknown> = Object.create(null);
  for (const [name, value] of Object.entries(form)) {
    const keys = name.match(/^flow((?:\.[A-Za-z]+|\[\d{1,3}\])+)$/)?.[1]?.match(/[A-Za-z]+|\d+/g);
    if (!keys?.every((k) => /^\d+$/.test(k) || FORM_KEYS.has(k))) continue;
    let node: Record<string, unknown> = root;
    for (const [i, key] of keys.entries()) {
      if (i === keys.length - 1) {
        node[key] = value;
        break;
      }
      const next = (node[key] ??= /^\d+$/.test(keys[i + 1]!) ? [] : Object.create(null));
      if (typeof next !== "object" || next === null) break; // a name that clashes with another: ignored
      node = next as Record<string, unknown>;
    }
  }
  const list = <T>(v: unknown, each: (x: Record<string, unknown>) => T): T[] =>
    Array.isArray(v) ? v.filter((x) => x && typeof x === "object").map(each) : [];
  const s = (v: unknown) => (typeof v === "string" ? v : "");
  const pair =
    <K extends string>(key: K) =>
    (x: Record<string, unknown>) =>
      ({ [key]: s(x[key]), weight: s(x.weight) }) as Record<K | "weight", string>;
  const path = (p: Record<string, unknown>): DraftPath => ({
    id: s(p.id),
    name: s(p.name),
    weight: s(p.weight),
    landers: list(p.landers, pair("landerId")),
    offers: list(p.offers, pair("offerId")),
    optimize: s(p.optimize),
  });
  return {
    rules: list(root.rules, (r) => ({
      id: s(r.id),
      name: s(r.name),
      conditions: list(r.conditions, (c) => ({ field: s(c.field), op: s(c.op), values: s(c.values) })),
      paths: list(r.paths, path),
    })),
    defaultPaths: list(root.defaultPaths, path),
  };
}

/** JSON text as its value; text that is not JSON stays text, so the schema refuses it by name. */
function json(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The draft as the API's JSON body: digits become numbers, blanks are left out, values split by line or comma. */
export function flowBodyFromDraft(d: Draft): unknown {
  const num = (v: string) => (v.trim() === "" ? undefined : /^\d{1,10}$/.test(v.trim()) ? Number(v) : v);
  const path = (p: DraftPath) => ({
    id: num(p.id),
    name: p.name,
    weight: num(p.weight),
    landers: p.landers.map((l) => ({ landerId: num(l.landerId), weight: num(l.weight) })),
    offers: p.offers.map((o) => ({ offerId: num(o.offerId), weight: num(o.weight) })),
    optimize: json(p.optimize),
  });
  return {
    rules: d.rules.map((r) => ({
      id: num(r.id),
      name: r.name,
      conditions: r.conditions.map((c) => ({
        field: c.field,
        op: c.op,
        values: c.values
          .split(/[\n,]/)
          .map((v) => v.trim())
          .filter(Boolean),
      })),
      paths: r.paths.map(path),
    })),
    defaultPaths: d.defaultPaths.map(path),
  };
}

/**
 * Applies an editor button to the draft: `addRule`, `addCondition:<rule>` (field from the form's
 * `field:<rule>` menu), `addPath:<rule or flow>`, `addLander:<path>`, `addOffer:<path>`,
 * `remove:<item>`. Places are field-name prefixes such as `flow.rules[0].paths[1]`.
 */
export function applyOp(d: Draft, op: string, form: Record<string, string>): Draft {
  const [verb, place = ""] = op.split(/:(.*)/s);
  const at = [...place.matchAll(/\[(\d{1,3})\]/g)].map((m) => Number(m[1]));
  const isDefault = place.startsWith("flow.defaultPaths");
  const rule = !isDefault && at[0] !== undefined ? d.rules[at[0]] : undefined;
  const paths = isDefault ? d.defaultPaths : rule?.paths;
  const path = paths?.[isDefault ? at[0]! : at[1]!];
  switch (verb) {
    case "addRule":
      d.rules.push({ id: "", name: `Rule ${d.rules.length + 1}`, conditions: [], paths: [newPath(1)] });
      break;
    case "addCondition": {
      const field = form[`field:${place}`] ?? "";
      if (rule && (CONDITION_FIELDS as readonly string[]).includes(field))
        rule.conditions.push({ field, op: "in", values: "" });
      break;
    }
    case "addPath":
      if (place === "flow") d.defaultPaths.push(newPath(d.defaultPaths.length + 1));
      else rule?.paths.push(newPath(rule.paths.length + 1));
      break;
    case "addLander":
      path?.landers.push({ landerId: "", weight: "100" });
      break;
    case "addOffer":
      path?.offers.push({ offerId: "", weight: "100" });
      break;
    case "remove":
      removeAt(d, place, at);
      break;
  }
  return d;
}

function removeAt(d: Draft, place: string, at: number[]): void {
  const kind = place.match(/\.([A-Za-z]+)\[\d+\]$/)?.[1];
  if (place.startsWith("flow.defaultPaths")) {
    if (at.length === 1) d.defaultPaths.splice(at[0]!, 1);
    else if (kind === "landers" || kind === "offers") d.defaultPaths[at[0]!]?.[kind].splice(at[1]!, 1);
    return;
  }
  const rule = d.rules[at[0]!];
  if (!rule) return;
  if (at.length === 1) d.rules.splice(at[0]!, 1);
  else if (kind === "conditions") rule.conditions.splice(at[1]!, 1);
  else if (kind === "paths") rule.paths.splice(at[1]!, 1);
  else if (kind === "landers" || kind === "offers") rule.paths[at[1]!]?.[kind].splice(at[2]!, 1);
}
