import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../lib/db";
import { formatDay, parseDay } from "../lib/timezone";
import { localDayNumber } from "./buckets";
import { labelsFor } from "./labels";
import { add, type Counts, type Metrics, metrics, ZERO } from "./metrics";
import { type DateRange, daysOf } from "./range";
import type { GroupBy, ReportKey } from "./types";

/** Country key for visits without one; Cloudflare uses the same code for "unknown". */
export const UNKNOWN_COUNTRY = "XX";

export type ReportRow = { key: ReportKey; label: string } & Metrics;

export interface ReportQuery {
  range: DateRange;
  groupBy: GroupBy;
  campaignId?: number;
}

/** The two aggregate statements of a report, exposed so tests and the bench can EXPLAIN them. */
export function reportStatements({ range, groupBy, campaignId }: ReportQuery): { visits: SQL; conversions: SQL } {
  const { tz, start, end } = range;
  const visitKey: Record<GroupBy, SQL> = {
    campaign: sql`v.campaign_id`,
    offer: sql`v.offer_id`,
    day: localDayNumber(sql`v.created_at`, tz, start, end),
    country: sql`coalesce(v.country, ${UNKNOWN_COUNTRY})`,
    // Visits have no conversion type: one group, which feeds only the totals.
    conversionType: sql`NULL`,
  };
  const conversionKey: Record<GroupBy, SQL> = {
    campaign: sql`c.campaign_id`,
    offer: sql`c.offer_id`,
    day: localDayNumber(sql`c.conversion_time`, tz, start, end),
    country: sql`coalesce(cv.country, ${UNKNOWN_COUNTRY})`,
    conversionType: sql`c.type_id`,
  };
  const visitCampaign = campaignId === undefined ? sql`` : sql` AND v.campaign_id = ${campaignId}`;
  const conversionCampaign = campaignId === undefined ? sql`` : sql` AND c.campaign_id = ${campaignId}`;
  const countryJoin = groupBy === "country" ? sql` LEFT JOIN visits cv ON cv.click_id = c.click_id` : sql``;
  return {
    visits: sql`SELECT ${visitKey[groupBy]} AS k, count(*) AS visits, sum(v.cost_micros) AS cost
      FROM visits v WHERE v.created_at >= ${start} AND v.created_at < ${end}${visitCampaign} GROUP BY k`,
    // Approved conversions only (SPEC §14). The default type (type_id NULL) counts; a custom type
    // counts when include_in_conversions.
    conversions: sql`SELECT ${conversionKey[groupBy]} AS k,
        sum(CASE WHEN c.status <> 'approved' OR t.include_in_conversions = 0 THEN 0 ELSE 1 END) AS conversions,
        sum(CASE WHEN c.status = 'approved' THEN c.payout_micros ELSE 0 END) AS revenue
      FROM conversions c LEFT JOIN conversion_types t ON t.id = c.type_id${countryJoin}
      WHERE c.conversion_time >= ${start} AND c.conversion_time < ${end}${conversionCampaign} GROUP BY k`,
  };
}

type VisitAgg = { k: ReportKey; visits: number; cost: number };
type ConversionAgg = { k: ReportKey; conversions: number; revenue: number };

/** Rows per group and totals over the range (SPEC §6). */
export async function runReport(db: Db, query: ReportQuery): Promise<{ rows: ReportRow[]; totals: Metrics }> {
  const statements = reportStatements(query);
  const [visitRows, conversionRows] = await Promise.all([
    db.all<VisitAgg>(statements.visits),
    db.all<ConversionAgg>(statements.conversions),
  ]);
  const groups = new Map<ReportKey, Counts>();
  if (query.groupBy === "day") for (const d of daysOf(query.range)) groups.set(parseDay(d)!, { ...ZERO });
  let totals = { ...ZERO };
  const bump = (key: ReportKey, counts: Partial<Counts>, grouped: boolean) => {
    totals = add(totals, counts);
    if (grouped) groups.set(key, add(groups.get(key) ?? ZERO, counts));
  };
  for (const r of visitRows) bump(r.k, { visits: r.visits, costMicros: r.cost }, query.groupBy !== "conversionType");
  for (const r of conversionRows) bump(r.k, { conversions: r.conversions, revenueMicros: r.revenue }, true);

  const keys = sortKeys([...groups.keys()], query.groupBy);
  const labels = await labelsFor(db, query.groupBy, keys);
  const rows = keys.map((k) => {
    const key = query.groupBy === "day" ? formatDay(k as number) : k;
    return { key, label: labels.get(k) ?? String(key), ...metrics(groups.get(k)!) };
  });
  return { rows, totals: metrics(totals) };
}

function sortKeys(keys: ReportKey[], groupBy: GroupBy): ReportKey[] {
  if (groupBy === "country") return keys.sort((a, b) => String(a).localeCompare(String(b)));
  // Ids and day numbers ascending; the default conversion type (null) first.
  return keys.sort((a, b) => (a === null ? -1 : b === null ? 1 : (a as number) - (b as number)));
}
