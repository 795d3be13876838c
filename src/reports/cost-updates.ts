import { and, asc, eq, gt, lt } from "drizzle-orm";
import { type CostUpdateFilters, type CostUpdateRow, costUpdates } from "../db/schema";
import type { Db } from "../lib/db";
import { splitMicros } from "../lib/money";
import { type CountQuery, countGroups } from "./counts";
import { type Counts, ZERO } from "./metrics";
import { dimensionOf } from "./types";

/**
 * Manual cost updates (docs/costs.md), applied when a report is computed: nothing is rewritten, so an
 * update over any number of visits shows at once and deleting it undoes it. An update sets the
 * cost of its visits to amount ÷ visits each, as if it rewrote them in the order updates were
 * made: where a later update overlaps, the later one's rate wins. A report row gets the update's
 * amount in proportion to the update's visits in that row (largest remainder, so the rows of a
 * report covering the whole update sum to exactly its amount), in place of the cost recorded.
 */
export interface Scope {
  campaignId: number;
  start: number;
  end: number;
  filters: CostUpdateFilters;
}

/** Later updates that partly overlap one update: the report counts 2^n intersections for it. */
export const MAX_PARTIAL_OVERLAPS = 4;

/** The filters of both, or null when they contradict (the same parameter with two values). */
export function mergeFilters(a: CostUpdateFilters, b: CostUpdateFilters): CostUpdateFilters | null {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (k in out && out[k] !== v) return null;
    out[k] = v;
  }
  return out;
}

/** Whether a visit could match both: same campaign, times meet, filters agree. */
export function overlaps(a: Scope, b: Scope): boolean {
  return (
    a.campaignId === b.campaignId && a.start < b.end && b.start < a.end && mergeFilters(a.filters, b.filters) !== null
  );
}

/** Whether `outer` takes in every visit `inner` can match. */
export function covers(outer: Scope, inner: Scope): boolean {
  return (
    outer.campaignId === inner.campaignId &&
    outer.start <= inner.start &&
    outer.end >= inner.end &&
    Object.entries(outer.filters).every(([k, v]) => inner.filters[k] === v)
  );
}

/** The later updates overlapping `u` in part; null when one covers it whole (nothing of it is left). */
export function laterOverlaps<S extends Scope & { id: number }>(u: S, all: readonly S[]): S[] | null {
  const later = all.filter((o) => o.id > u.id && overlaps(u, o));
  return later.some((o) => covers(o, u)) ? null : later;
}

/** The visits an update covers (late visits included: counted again at each report). */
export async function updateVisits(db: Db, u: Scope, tz: string): Promise<number> {
  const range = { tz, from: "", to: "", start: u.start, end: u.end };
  const { totals } = await countGroups(db, {
    range,
    groupBy: "campaign",
    filters: { ...u.filters, campaignId: u.campaignId },
  });
  return totals.visits;
}

/** Replaces, in the report's groups and totals, the cost of the visits each update covers. */
export async function applyCostUpdates(
  db: Db,
  query: CountQuery,
  groups: Map<number | null, Counts>,
  totals: Counts,
): Promise<void> {
  const { campaignId, conversionType, ...rest } = query.filters ?? {};
  // A conversion type narrows conversions; visits, and so their cost, have none.
  if (conversionType !== undefined) return;
  const { range } = query;
  const rows = await db
    .select()
    .from(costUpdates)
    .where(
      and(
        lt(costUpdates.start, range.end),
        gt(costUpdates.end, range.start),
        campaignId === undefined ? undefined : eq(costUpdates.campaignId, Number(campaignId)),
      ),
    )
    .orderBy(asc(costUpdates.id))
    .all();
  const reportFilters = Object.fromEntries(
    Object.entries(rest).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
  );
  // Rows of a conversion-type report carry no visits: only the totals take the cost.
  const byGroup = dimensionOf(query.groupBy).kind !== "type";
  for (const u of rows) {
    const later = laterOverlaps(u, rows);
    const base = mergeFilters(reportFilters, u.filters);
    if (later === null || base === null) continue;
    const visits = await updateVisits(db, u, range.tz);
    if (visits === 0) continue;
    const effective = await effectiveCounts(db, query, byGroup ? query.groupBy : "campaign", u, base, later);
    const keys = [...effective.keys()];
    const inReport = keys.reduce<number>((a, k) => a + effective.get(k)!.visits, 0);
    const shares = splitMicros(u.amountMicros, [...keys.map((k) => effective.get(k)!.visits), visits - inReport]);
    keys.forEach((k, i) => {
      const delta = shares[i]! - effective.get(k)!.costMicros;
      totals.costMicros += delta;
      if (!byGroup) return;
      const row = groups.get(k) ?? { ...ZERO };
      row.costMicros += delta;
      groups.set(k, row);
    });
  }
}

/**
 * Visits and recorded cost per report group of what `u` still governs in the report: its visits
 * minus those of later overlapping updates, by inclusion–exclusion over their intersections.
 */
async function effectiveCounts(
  db: Db,
  query: CountQuery,
  groupBy: string,
  u: CostUpdateRow,
  base: CostUpdateFilters,
  later: CostUpdateRow[],
): Promise<Map<number | null, Counts>> {
  const out = new Map<number | null, Counts>();
  for (let mask = 0; mask < 1 << later.length; mask++) {
    let filters: CostUpdateFilters | null = base;
    let start = Math.max(query.range.start, u.start);
    let end = Math.min(query.range.end, u.end);
    let sign = 1;
    later.forEach((o, j) => {
      if (!(mask & (1 << j))) return;
      filters = filters && mergeFilters(filters, o.filters);
      start = Math.max(start, o.start);
      end = Math.min(end, o.end);
      sign = -sign;
    });
    if (filters === null || start >= end) continue;
    const range = { ...query.range, start, end };
    const counted = await countGroups(db, { range, groupBy, filters: { ...filters, campaignId: u.campaignId } });
    for (const [k, c] of counted.groups) {
      const row = out.get(k) ?? { ...ZERO };
      row.visits += sign * c.visits;
      row.costMicros += sign * c.costMicros;
      out.set(k, row);
    }
  }
  for (const [k, c] of out) if (c.visits === 0 && c.costMicros === 0) out.delete(k);
  return out;
}
