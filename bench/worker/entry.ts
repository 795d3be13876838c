/**
 * The worker `npm run bench` runs: the production app, unchanged, with every D1 statement it and
 * its ingest Durable Objects run counted (./d1-counter.ts), plus two routes of its own:
 *   GET  /__bench/stats  {"d1": {total, byKind}, "rows": {visits, conversions}}
 *   POST /__bench/reset  zeroes the statement counts
 * It is only ever served on 127.0.0.1 by bench/lib/servers.mjs and never deployed, so the routes
 * take no token.
 */
import app from "../../src/index";
import { BENCH_SQL_MARK, countD1Statements, d1Counts, resetD1Counts } from "./d1-counter";

export { IngestShard, LoginThrottle } from "../../src/index";

/** Rows the bench compares with the requests it saw answered (visits: storage's raw_visits); marked so it is not counted. */
export async function rowCounts(d1: D1Database): Promise<{ visits: number; conversions: number }> {
  const row = await d1
    .prepare(
      `${BENCH_SQL_MARK} SELECT (SELECT count(*) FROM raw_visits) AS visits, (SELECT count(*) FROM conversions) AS conversions`,
    )
    .first<{ visits: number; conversions: number }>();
  return { visits: row?.visits ?? 0, conversions: row?.conversions ?? 0 };
}

export default {
  async fetch(request, env, ctx) {
    countD1Statements(env.DB); // once per isolate; a no-op after the first request
    // The substring test first, so the measured requests pay for no URL parsing of ours.
    const pathname = request.url.includes("/__bench/") ? new URL(request.url).pathname : "";
    if (pathname === "/__bench/stats" && request.method === "GET") {
      return Response.json({ d1: d1Counts(), rows: await rowCounts(env.DB) });
    }
    if (pathname === "/__bench/reset" && request.method === "POST") {
      resetD1Counts();
      return Response.json({ d1: d1Counts() });
    }
    return app.fetch(request, env, ctx);
  },
  // The app's queue consumers and crons run as in production.
  queue: app.queue,
  scheduled: app.scheduled,
} satisfies ExportedHandler<Env>;
