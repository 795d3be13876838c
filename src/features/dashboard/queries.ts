import type { Db } from "../../lib/db";
import { formatDay, localDay, parseDay } from "../../lib/timezone";
import { runDrill } from "../../reports/engine";
import type { Metrics } from "../../reports/metrics";
import type { ReportRow } from "../../reports/queries";
import { type DateRange, resolveRange } from "../../reports/range";

/** How many days the chart and the top campaigns cover, today included. */
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
 * The dashboard's numbers, all from the report engine (the same as GET /api/report's): the last
 * CHART_DAYS local days in the settings' time zone, per day and per campaign.
 */
export async function dashboard(db: Db, now = Date.now(), { hideBots = false } = {}): Promise<Dashboard> {
  const { tz } = await resolveRange(db, {}, now);
  const todayNumber = parseDay(localDay(tz, now))!;
  const range = await resolveRange(db, {
    tz,
    from: formatDay(todayNumber - CHART_DAYS + 1),
    to: formatDay(todayNumber),
  });
  const filters: Record<string, string> = hideBots ? { bot: "false" } : {};
  const [daily, top, bots] = await Promise.all([
    runDrill(db, { range, groupBy: "day", filters }),
    runDrill(db, { range, groupBy: "campaign", filters, orderBy: "profit", order: "desc", limit: TOP_CAMPAIGNS }),
    runDrill(db, { range, groupBy: "campaign", filters: { bot: "true" }, limit: 1 }),
  ]);
  // Both dimensions are answered by every engine; anything else is a bug worth a 500.
  if (!daily.ok || !top.ok || !bots.ok)
    throw new Error("the report engine refused the dashboard's day or campaign report");
  const day = (n: number) => daily.rows.find((r) => r.key === formatDay(n))!;
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
