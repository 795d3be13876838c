/**
 * The worker `npm run bench` runs: the production app, unchanged, with every D1 statement it and
 * its ingest Durable Objects run counted (./d1-counter.ts), plus two routes of its own:
 *   GET  /__bench/stats  {"d1": {total, byKind}, "rows": {visits, conversions}, "lanes": {hits, calls}}
 *   POST /__bench/reset  zeroes the statement counts
 * With the var BENCH_QUEUE_LOG = "1" (bench/crash.mjs) it also logs the click IDs of every visit
 * message the queue has accepted, one console line per message, so a crash drill can tell visits
 * lost in an isolate's batch from visits lost after the queue took them.
 * It is only ever served on 127.0.0.1 by bench/lib/servers.mjs and never deployed, so the routes
 * take no token.
 */
import app from "../../src/index";
import { laneCounts } from "../../src/ingest/shard-lanes";
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

/** Marks the drill's log lines; bench/crash.mjs reads them (its own copy of the mark) from the log. */
const QUEUED_MARK = "bench-queued"; // the entry may export only handlers and classes
// One wrapper per queue binding, so the app's per-binding visit batcher keeps working.
const logged = new WeakMap<Queue, Queue>();

function loggingQueue(queue: Queue): Queue {
  let wrapper = logged.get(queue);
  if (!wrapper) {
    wrapper = {
      async send(body, options) {
        const sent = await queue.send(body, options);
        const rows = (JSON.parse(String(body)) as { rows: unknown[][] }).rows;
        console.log(QUEUED_MARK, rows.map((row) => row[1]).join(","));
        return sent;
      },
      sendBatch: (messages, options) => queue.sendBatch(messages, options),
      metrics: () => queue.metrics(),
    } satisfies Queue;
    logged.set(queue, wrapper);
  }
  return wrapper;
}

export default {
  async fetch(request, env, ctx) {
    countD1Statements(env.DB); // once per isolate; a no-op after the first request
    if ((env as { BENCH_QUEUE_LOG?: string }).BENCH_QUEUE_LOG === "1")
      env = { ...env, VISIT_QUEUE: loggingQueue(env.VISIT_QUEUE) };
    // The substring test first, so the measured requests pay for no URL parsing of ours.
    const pathname = request.url.includes("/__bench/") ? new URL(request.url).pathname : "";
    if (pathname === "/__bench/stats" && request.method === "GET") {
      return Response.json({ d1: d1Counts(), rows: await rowCounts(env.DB), lanes: laneCounts });
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
