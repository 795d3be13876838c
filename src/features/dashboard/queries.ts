import type { Db } from "../../lib/db";
import { formatDay, localDay, parseDay } from "../../lib/timezone";
import { runDrill } from "../../reports/engine";
import type { Metrics } from "../../reports/metrics";
import type { ReportRow } from "../../reports/queries";
import { type DateRange, type RangeQuery, rangeQuery, resolveRange } from "../../reports/range";

/** The page's own parameters: a range (the presets' links), the settings' zone by default. */
export const dashboardQuery = rangeQuery.pick({ from: true, to: true, tz: true }).strict();

/** How many days the chart and the top campaigns cover by default, today included. */
export const CHART_DAYS = 30;
export const TOP_CAMPAIGNS = 10;

export interface Dashboard {
  range: DateRange;
  today: ReportRow;
  yesterday: ReportRow;
  /** One row per day of the range, oldest first (days without traffic included, at zero). */
  days: ReportRow[];
  /** The campaigns with the highest profit over the range. */
  top: ReportRow[];
  totals: Metrics;
  /** Bot visits in the range: left out of every figure above when hideBots, counted in otherwise. */
  bots: number;
}

/**
 * The dashboard's numbers, all from the report engine (the same as GET /api/report's): today and
 * yesterday, and per day and per campaign the range asked for (by default the last CHART_DAYS
 * local days), in the range's zone (the settings' unless it names another).
 */
export async function dashboard(
  db: Db,
  now = Date.now(),
  { hideBots = false, query = {} as RangeQuery } = {},
): Promise<Dashboard> {
  const { tz } = await resolveRange(db, { tz: query.tz }, now);
  const todayNumber = parseDay(localDay(tz, now))!;
  const around = (from: number) => ({ tz, from: formatDay(from), to: formatDay(todayNumber) });
  const asked = query.from || query.to ? { ...query, tz } : around(todayNumber - CHART_DAYS + 1);
  const [range, recent] = await Promise.all([
    resolveRange(db, asked, now),
    resolveRange(db, around(todayNumber - 1), now),
  ]);
  const filters: Record<string, string> = hideBots ? { bot: "false" } : {};
  const [twoDays, daily, top, bots] = await Promise.all([
    runDrill(db, { range: recent, groupBy: "day", filters }),
    runDrill(db, { range, groupBy: "day", filters }),
    runDrill(db, { range, groupBy: "campaign", filters, orderBy: "profit", order: "desc", limit: TOP_CAMPAIGNS }),
    runDrill(db, { range, groupBy: "campaign", filters: { bot: "true" }, limit: 1 }),
  ]);
  // Both dimensions are answered by every engine; anything else is a bug worth a 500.
  if (!twoDays.ok || !daily.ok || !top.ok || !bots.ok)
    throw new Error("the report engine refused the dashboard's day or campaign report");
  const day = (n: number) => twoDays.rows.find((r) => r.key === formatDay(n))!;
  return {
    range,
    today: day(todayNumber),
    yesterday: day(todayNumber - 1),
    days: daily.rows,
    top: top.rows,
    totals: daily.totals,
    bots: bots.totals.visits,
  };
}
