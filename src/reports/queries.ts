import type { Db } from "../lib/db";
import { parseDay } from "../lib/timezone";
import { applyCostUpdates } from "./cost-updates";
import { countGroups } from "./counts";
import { labelsFor, varAlias } from "./labels";
import { type Metrics, metrics, type OrderField, ZERO } from "./metrics";
import { type DateRange, daysOf } from "./range";
import { displayKeys, orderRows } from "./rows";
import { dimensionOf, type ReportKey } from "./types";

export { reportFilters, UNKNOWN_COUNTRY } from "./filters";

export type ReportRow = { key: ReportKey; label: string } & Metrics;

/** Contract D: what the API, the report page and the dashboard ask for. */
export interface ReportQuery {
  range: DateRange;
  groupBy: string;
  /** campaignId, trafficSourceId, offerId, landerId, and one per other dimension (SPEC §12). */
  filters?: Record<string, string | number | undefined>;
  orderBy?: OrderField;
  order?: "asc" | "desc";
  limit?: number;
}

export interface Report {
  rows: ReportRow[];
  totals: Metrics;
  /** "rollups" (pre-aggregated rows) or "raw" (drill-downs with several attribute filters). */
  engine: "rollups" | "raw";
  /** The group's column title: a var's alias when one traffic source names it. */
  groupByLabel: string | null;
}

/** Rows per group and totals over the range (SPEC §6, §12), manual cost updates applied (§15). */
export async function runReport(db: Db, query: ReportQuery): Promise<Report> {
  const d1 = db.$client;
  const group = dimensionOf(query.groupBy);
  const { groups, totals, engine } = await countGroups(db, query);
  await applyCostUpdates(db, query, groups, totals);
  if (group.kind === "time" && group.name === "day") {
    for (const d of daysOf(query.range)) if (!groups.has(parseDay(d)!)) groups.set(parseDay(d)!, { ...ZERO });
  }
  const keys = await displayKeys(d1, group, [...groups.keys()]);
  const labels = await labelsFor(db, group, [...keys.values()]);
  const rows = [...groups].map(([k, counts]) => {
    const key = keys.get(k) ?? null;
    return { key, label: labels.get(key) ?? String(key), ...metrics(counts) };
  });
  return {
    rows: orderRows(rows, group, query),
    totals: metrics(totals),
    engine,
    groupByLabel: await varAlias(db, group, query.filters ?? {}),
  };
}
