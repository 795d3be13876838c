import type { Db } from "../lib/db";
import { parseFilters } from "./filters";
import { fromRaw, fromRollups } from "./groups";
import { type Counts, isZero, ZERO } from "./metrics";
import type { DateRange } from "./range";
import { dimensionOf } from "./types";
import { retentionCheck } from "./window";

/** What a count is asked for: a range, one grouping, filters as report parameters. */
export interface CountQuery {
  range: DateRange;
  groupBy: string;
  filters?: Record<string, string | number | undefined>;
}

export interface Counted {
  groups: Map<number | null, Counts>;
  totals: Counts;
  /** "rollups" (pre-aggregated rows) or "raw" (drill-downs with several attribute filters). */
  engine: "rollups" | "raw";
}

/** Sums per group and totals of the range and filters, before cost updates. */
export async function countGroups(db: Db, query: CountQuery): Promise<Counted> {
  const d1 = db.$client;
  const group = dimensionOf(query.groupBy);
  const { range, filters } = await parseFilters(d1, query);
  const attributeCodes = new Set<number>();
  if (group.kind === "attribute" || group.kind === "type") attributeCodes.add(group.code);
  for (const f of filters) if (f.dim.kind === "attribute" || f.dim.kind === "type") attributeCodes.add(f.dim.code);
  const engine = attributeCodes.size <= 1 ? "rollups" : "raw";
  if (range === null) return { groups: new Map(), totals: { ...ZERO }, engine };
  if (engine === "rollups") return { ...withoutEmpty(await fromRollups(d1, range, group, filters)), engine };
  await retentionCheck(db, range);
  return { ...withoutEmpty(await fromRaw(d1, range, group, filters)), engine };
}

/** Rollup rows a visit moved out of (offer-settle.ts) sum to zero: no group to show. */
function withoutEmpty<T extends { groups: Map<number | null, Counts> }>(counted: T): T {
  for (const [k, c] of counted.groups) if (isZero(c)) counted.groups.delete(k);
  return counted;
}
