import { z } from "zod";
import type { Db } from "../lib/db";
import type { Metrics } from "./metrics";
import { runReport } from "./queries";
import { type DateRange, rangeQuery, resolveRange } from "./range";
import { MAX_LIMIT } from "./schema";

/**
 * The lists' query (GET /api/campaigns, offers, landers, traffic-sources and their pages): the
 * archived switch, and a range (`from`, `to`, `tz`) that adds each item's figures.
 */
export const listQuery = rangeQuery
  .pick({ from: true, to: true, tz: true })
  .extend({ archived: z.string().max(10).optional() })
  .strict();
export type ListQuery = z.infer<typeof listQuery>;

/** The figures a list shows per item (the report's, for the item's entity). */
export type ListStats = Pick<Metrics, "visits" | "conversions" | "revenue" | "cost" | "profit" | "roi" | "epc">;
export const STATS_FIELDS = ["visits", "conversions", "revenue", "cost", "profit", "roi", "epc"] as const;

const EMPTY: ListStats = { visits: 0, conversions: 0, revenue: 0, cost: 0, profit: 0, roi: null, epc: null };

export type StatsEntity = "campaign" | "offer" | "lander" | "trafficSource";

/** Whether the query asks for figures: any of from, to, tz. */
export const wantsStats = (q: ListQuery) => q.from !== undefined || q.to !== undefined || q.tz !== undefined;

/**
 * Each item's figures over the range, from the report engine grouped by the entity (one read for
 * the whole list): the same numbers as GET /api/report?groupBy=…, cost updates included.
 */
export async function statsByEntity(db: Db, entity: StatsEntity, range: DateRange): Promise<(id: number) => ListStats> {
  const report = await runReport(db, { range, groupBy: entity, filters: {}, limit: MAX_LIMIT });
  const byId = new Map(report.rows.map((r) => [r.key, r]));
  return (id) => {
    const r = byId.get(id);
    return r ? (Object.fromEntries(STATS_FIELDS.map((f) => [f, r[f]])) as ListStats) : EMPTY;
  };
}

/** For an API list: the range and a stats lookup when asked for, else null. */
export async function listStats(
  db: Db,
  entity: StatsEntity,
  q: ListQuery,
): Promise<{ range: DateRange; of: (id: number) => ListStats } | null> {
  if (!wantsStats(q)) return null;
  const range = await resolveRange(db, q);
  return { range, of: await statsByEntity(db, entity, range) };
}
