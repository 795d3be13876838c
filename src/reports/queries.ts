import type { Db } from "../lib/db";
import { parseDay } from "../lib/timezone";
import { applyCostUpdates } from "./cost-updates";
import { countGroups } from "./counts";
import { labelsFor, varAlias } from "./labels";
import { metrics, ZERO } from "./metrics";
import { daysOf } from "./range";
import { displayKeys, orderRows } from "./rows";
import { dimensionOf, type Report, type ReportQuery } from "./types";

export { reportFilters, UNKNOWN_COUNTRY } from "./filters";

export type { Report, ReportQuery, ReportRow } from "./types";

/** Rows per group and totals over the range (docs/admin-api.md, docs/reports-storage.md), manual cost updates applied (docs/costs.md). */
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
