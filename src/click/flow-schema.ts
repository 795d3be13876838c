import { z } from "zod";
import { normalizeCidr } from "../lib/cidr";
import { nameSchema } from "../lib/names";
import { optimizeSchema } from "../model/optimize";
import { MAX_VAR_LENGTH } from "../model/vars";
import { DEVICE_TYPES } from "../visits/attributes";

/**
 * A campaign's flow (docs/tracking.md): ordered rules, each with ANDed conditions and weighted paths, and
 * default paths. The one schema of the API body and of the admin editor (which sends the same
 * shape as text); values come out normalized (country upper-case, CIDRs canonical, numbers as
 * strings). Rules and paths carry `id` once saved: send it back to keep a path's identity.
 */
export const VAR_FIELDS = ["var1", "var2", "var3", "var4", "var5", "var6", "var7", "var8", "var9", "var10"] as const;
export const CONDITION_FIELDS = [
  "country",
  "region",
  "city",
  "language",
  "device",
  "brand",
  "os",
  "browser",
  "isp",
  "asn",
  "ip",
  "referrerDomain",
  ...VAR_FIELDS,
  "weekday",
  "hour",
  "bot",
  // Whether one of the visit's values is on the campaign's blocklist (docs/rules.md).
  "blocklisted",
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export const LIMITS = { rules: 50, conditions: 20, values: 1000, paths: 20, landers: 20, offers: 50 };

type Normalize = (value: string) => string | null;
const text: Normalize = (v) => (v.length >= 1 && v.length <= 200 ? v : null);
const integer =
  (min: number, max: number): Normalize =>
  (v) =>
    /^\d{1,10}$/.test(v) && Number(v) >= min && Number(v) <= max ? String(Number(v)) : null;

/** How each field's values are checked and normalized, and what a bad one is told. */
const VALUE_RULES: Record<ConditionField, [Normalize, string]> = {
  country: [(v) => (/^[A-Za-z0-9]{2}$/.test(v) ? v.toUpperCase() : null), "is not a two-letter country code"],
  language: [(v) => (/^[A-Za-z]{2,3}$/.test(v) ? v.toLowerCase() : null), "is not a language code such as en"],
  device: [
    (v) => ((DEVICE_TYPES as readonly string[]).includes(v.toLowerCase()) ? v.toLowerCase() : null),
    `is not a device type (${DEVICE_TYPES.join(", ")})`,
  ],
  asn: [integer(1, 2 ** 32 - 1), "is not an AS number"],
  ip: [normalizeCidr, "is not an IPv4 or IPv6 address or CIDR range"],
  referrerDomain: [(v) => text(v.toLowerCase().replace(/^www\./, "")), "must be 1-200 characters"],
  weekday: [integer(0, 6), "is not a weekday from 0 (Sunday) to 6"],
  hour: [integer(0, 23), "is not an hour from 0 to 23"],
  bot: [(v) => (v === "true" || v === "false" ? v : null), 'must be "true" or "false"'],
  blocklisted: [(v) => (v === "true" || v === "false" ? v : null), 'must be "true" or "false"'],
  ...(Object.fromEntries(
    VAR_FIELDS.map((f) => [f, [(v: string) => (v.length <= MAX_VAR_LENGTH ? v : null), "is too long"]]),
  ) as Record<(typeof VAR_FIELDS)[number], [Normalize, string]>),
  region: [text, "must be 1-200 characters"],
  city: [text, "must be 1-200 characters"],
  brand: [text, "must be 1-200 characters"],
  os: [text, "must be 1-200 characters"],
  browser: [text, "must be 1-200 characters"],
  isp: [text, "must be 1-200 characters"],
};

const id = z
  .number()
  .int()
  .positive()
  .max(2 ** 32 - 1);
const weight = z.number().int().min(0).max(10_000);
const name = nameSchema;

const condition = z
  .strictObject({
    field: z.enum(CONDITION_FIELDS, { error: `must be one of ${CONDITION_FIELDS.join(", ")}` }),
    op: z.enum(["in", "notIn"], { error: 'must be "in" or "notIn"' }),
    values: z
      .array(z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v).trim()))
      .min(1, "give at least one value")
      .max(LIMITS.values),
  })
  .transform((c, ctx) => {
    const [normalize, message] = VALUE_RULES[c.field];
    const values = c.values.map((v, i) => {
      const out = normalize(v);
      if (out === null)
        ctx.addIssue({ code: "custom", path: ["values", i], message: `"${v.slice(0, 64)}" ${message}` });
      return out ?? "";
    });
    if ((c.field === "bot" || c.field === "blocklisted") && values.length !== 1)
      ctx.addIssue({ code: "custom", path: ["values"], message: `${c.field} takes one value: ["true"] or ["false"]` });
    return { field: c.field, op: c.op, values };
  });

/** Each id once in a path, and (when there are any) some weight above 0. */
function distinctWeighted(noun: "lander" | "offer", key: "landerId" | "offerId") {
  return (list: ({ weight: number } & Partial<Record<typeof key, number>>)[], ctx: z.RefinementCtx) => {
    const ids = list.map((e) => e[key]);
    ids.forEach((v, i) => {
      if (ids.indexOf(v) !== i)
        ctx.addIssue({ code: "custom", path: [i, key], message: `${noun} ${v} is already in this path` });
    });
    if (list.length > 0 && !list.some((e) => e.weight > 0))
      ctx.addIssue({ code: "custom", message: `at least one ${noun} needs a weight above 0` });
  };
}

const landers = z
  .array(z.strictObject({ landerId: id, weight: weight.default(100) }))
  .max(LIMITS.landers)
  .superRefine(distinctWeighted("lander", "landerId"));

const offers = z
  .array(z.strictObject({ offerId: id, weight: weight.default(100) }))
  .min(1, "give at least one offer")
  .max(LIMITS.offers)
  .superRefine(distinctWeighted("offer", "offerId"));

const path = z.strictObject({
  id: id.optional(),
  name,
  weight: weight.default(100),
  landers: landers.default([]),
  offers,
  // The path's offers and landers learn their weights (docs/rules.md).
  optimize: optimizeSchema.optional(),
});

const paths = z
  .array(path)
  .min(1, "give at least one path")
  .max(LIMITS.paths)
  .refine((list) => list.length === 0 || list.some((p) => p.weight > 0), "at least one path needs a weight above 0");

const rule = z.strictObject({
  id: id.optional(),
  name,
  conditions: z.array(condition).min(1, "give at least one condition").max(LIMITS.conditions),
  paths,
});

export const flowSchema = z.strictObject({
  rules: z.array(rule).max(LIMITS.rules).default([]),
  defaultPaths: paths,
});

export type FlowInput = z.output<typeof flowSchema>;
export type FlowPathInput = z.output<typeof path>;
export type Condition = z.output<typeof condition>;
