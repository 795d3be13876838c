import type { Filter } from "./filters";
import { add, type Counts, isZero, ZERO } from "./metrics";
import type { DateRange } from "./range";
import { type RawKey, RawReader } from "./raw-read";
import { type GroupKey, RollupReader, type Selection } from "./rollup-read";
import type { DimensionKind } from "./types";

/** Sums per group and totals, from rollups (one attribute dimension at most) or raw visits. */
export async function fromRollups(
  d1: D1Database,
  range: DateRange,
  group: DimensionKind,
  filters: Filter[],
): Promise<{ groups: Map<number | null, Counts>; totals: Counts }> {
  const state = await d1
    .prepare("SELECT compacted_until AS q, dims_until AS dims, levels_until AS l FROM rollup_state WHERE id = 1")
    .first<{ q: number; dims: number; l: number }>();
  const reader = new RollupReader(d1, range, state?.q ?? 0, state?.dims ?? 0, state?.l ?? 0);
  const base: Selection = { entities: [] };
  let own: Filter | undefined; // a filter on the grouped dimension itself
  for (const f of filters) {
    if (f.dim.kind === "entity") base.entities.push({ column: f.dim.column, id: f.value ?? 0 });
    else if (f.dim.kind === "time") base.hour = f.value ?? 0;
    else if ((group.kind === "attribute" || group.kind === "type") && f.dim.code === group.code) own = f;
    else if (f.dim.kind === "attribute" || f.dim.kind === "type") base.dim = { code: f.dim.code, value: f.value };
  }
  if (group.kind === "entity" || group.kind === "time") {
    const key: GroupKey = group.kind === "entity" ? { by: "column", column: group.column } : { by: group.name };
    const groups = nullForZero(await reader.read(base, key), group.kind === "entity");
    return { groups, totals: sum(groups) };
  }
  const byValue: GroupKey = { by: "column", column: "value" };
  const all = (await reader.read(base, { by: "none" })).get(0) ?? { ...ZERO };
  const groups = new Map<number | null, Counts>();
  if (own?.value !== null) {
    const known = await reader.read({ ...base, dim: { code: group.code, value: own?.value } }, byValue, true);
    for (const [k, c] of known) groups.set(k, group.kind === "type" ? conversionsOnly(c) : c);
  }
  if (own === undefined || own.value === null) {
    // Visits without a value (or conversions of the default type) have no rows of their own.
    const known = own === undefined ? sum(groups) : await knownTotal(reader, base, group.code);
    const unknown = add(all, known, -1);
    const row = group.kind === "type" ? conversionsOnly(unknown) : unknown;
    if (!isZero(row)) groups.set(null, row);
  }
  if (group.kind === "type") return { groups, totals: mergeVisits(sum(groups), all) };
  return { groups, totals: sum(groups) };
}

async function knownTotal(reader: RollupReader, base: Selection, code: number): Promise<Counts> {
  return sum(await reader.read({ ...base, dim: { code } }, { by: "none" }, true));
}

export async function fromRaw(
  d1: D1Database,
  range: DateRange,
  group: DimensionKind,
  filters: Filter[],
): Promise<{ groups: Map<number | null, Counts>; totals: Counts }> {
  const reader = new RawReader(d1, range);
  const sel = {
    entities: [] as { name: never; id: number }[],
    attributes: [] as { column: string; value: number | null }[],
    hour: undefined as number | undefined,
    type: undefined as number | null | undefined,
  };
  for (const f of filters) {
    if (f.dim.kind === "entity") sel.entities.push({ name: f.dim.name as never, id: f.value ?? 0 });
    else if (f.dim.kind === "time") sel.hour = f.value ?? 0;
    else if (f.dim.kind === "type") sel.type = f.value;
    else sel.attributes.push({ column: f.dim.column, value: f.value });
  }
  const key: RawKey =
    group.kind === "entity"
      ? { by: "entity", name: group.name }
      : group.kind === "time"
        ? { by: group.name }
        : group.kind === "type"
          ? { by: "type" }
          : { by: "attribute", column: group.column };
  const grouped = await reader.read(sel, key);
  const groups = group.kind === "entity" ? nullForZero(grouped, true) : grouped;
  if (group.kind !== "type") return { groups, totals: sum(groups) };
  const all = (await reader.read(sel, { by: "none" })).get(0) ?? { ...ZERO };
  for (const [k, c] of groups) groups.set(k, conversionsOnly(c));
  return { groups, totals: mergeVisits(sum(groups), all) };
}

const sum = (m: Map<unknown, Counts>) => [...m.values()].reduce((a, c) => add(a, c), { ...ZERO });
const conversionsOnly = (c: Counts): Counts => ({ ...c, visits: 0, clicks: 0, costMicros: 0 });
const mergeVisits = (c: Counts, v: Counts): Counts => ({
  ...c,
  visits: v.visits,
  clicks: v.clicks,
  costMicros: v.costMicros,
});

/** Entity id 0 is "none". */
function nullForZero(m: Map<number | null, Counts>, entity: boolean): Map<number | null, Counts> {
  if (!entity || !m.has(0)) return m;
  const out = new Map(m);
  out.set(null, add(out.get(null) ?? ZERO, out.get(0)!));
  out.delete(0);
  return out;
}
