/**
 * The worker bench/storage.mjs runs: the production app, unchanged, with its D1 binding wrapped
 * to count D1's own `rows_written` and to fail on demand (a D1 outage), plus routes of its own:
 *   POST /__bench/outage?ms=N    every D1 call from the app fails for N ms
 *   POST /__bench/write          body: VisitMessage[]; writes them as the queue consumer does
 *   POST /__bench/cron?now=T     runs the Cron Trigger's work (as at time T)
 *   GET  /__bench/stats          rows written, statements, stored visits, waiting work
 *   POST /__bench/reset          zeroes the counters
 *   POST /__bench/raw-read       body: {start, end, attributes, groupBy}; each statement of a
 *                                raw drill-down (src/reports/raw-read.ts) run alone and timed
 * Only ever served on 127.0.0.1 by bench/storage.mjs, never deployed: the routes take no token.
 */
import app from "../../src/index";
import { RawReader, type RawSelection } from "../../src/reports/raw-read";
import { runScheduled } from "../../src/visits/scheduled";
import type { VisitMessage } from "../../src/visits/wire";
import { writeVisitMessages } from "../../src/visits/write";

export { IngestShard, LoginThrottle } from "../../src/index";

let outageUntil = 0;
const counters = { statements: 0, rowsWritten: 0, sizeAfter: 0, failures: 0 };
const REAL = Symbol("real");

function check(): void {
  if (Date.now() < outageUntil) {
    counters.failures++;
    throw new Error("D1_ERROR: bench outage: Network connection lost.");
  }
}

function tally(meta: D1Meta | undefined): void {
  counters.statements++;
  counters.rowsWritten += meta?.rows_written ?? 0;
  if (meta?.size_after) counters.sizeAfter = meta.size_after;
}

function wrapStatement(s: D1PreparedStatement): D1PreparedStatement {
  return new Proxy(s, {
    get(target, prop) {
      if (prop === REAL) return target;
      if (prop === "bind") return (...args: unknown[]) => wrapStatement(target.bind(...args));
      if (prop === "run" || prop === "all") {
        return async () => {
          check();
          const result = await target[prop]();
          tally(result.meta);
          return result;
        };
      }
      if (prop === "first" || prop === "raw") {
        return async (...args: unknown[]) => {
          check();
          counters.statements++;
          return (target[prop] as (...a: unknown[]) => unknown)(...args);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const wrapped = new WeakMap<D1Database, D1Database>();

function wrapD1(d1: D1Database): D1Database {
  let w = wrapped.get(d1);
  if (!w) {
    w = new Proxy(d1, {
      get(target, prop) {
        if (prop === "prepare") return (sql: string) => wrapStatement(target.prepare(sql));
        if (prop === "batch") {
          return async (statements: D1PreparedStatement[]) => {
            check();
            const results = await target.batch(
              statements.map((s) => (s as unknown as Record<symbol, D1PreparedStatement>)[REAL] ?? s),
            );
            for (const r of results) tally(r.meta);
            return results;
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    wrapped.set(d1, w);
  }
  return w;
}

const benchEnv = (env: Env): Env => ({ ...env, DB: wrapD1(env.DB) });

async function stats(env: Env) {
  const row = await env.DB.prepare(
    `SELECT (SELECT count(*) FROM raw_visits) AS visits,
      (SELECT coalesce(sum(visits), 0) FROM rollup_q WHERE dim = 0) AS rollupVisits,
      (SELECT count(*) FROM awaiting_visit) AS awaiting, (SELECT count(*) FROM applied_messages) AS messages`,
  ).first();
  const deadLetters = (await env.ARCHIVE.list({ prefix: "dead-letters/" })).objects.length;
  return { ...counters, ...row, deadLetters };
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const e = benchEnv(env);
    switch (`${request.method} ${url.pathname}`) {
      case "POST /__bench/outage":
        outageUntil = Date.now() + Number(url.searchParams.get("ms") ?? 0);
        return Response.json({ outageUntil });
      case "POST /__bench/write": {
        const before = { ...counters };
        const result = await writeVisitMessages(e.DB, (await request.json()) as VisitMessage[]);
        return Response.json({
          ...result,
          rowsWrittenAll: counters.rowsWritten - before.rowsWritten,
          statements: counters.statements - before.statements,
        });
      }
      case "POST /__bench/cron": {
        // ?now= runs it as at that time (the write phase simulates hours of traffic).
        const before = counters.rowsWritten;
        await runScheduled(e, Number(url.searchParams.get("now") ?? Date.now()));
        return Response.json({ ...(await stats(env)), rowsWrittenAll: counters.rowsWritten - before });
      }
      case "POST /__bench/sql": {
        // One statement, timed inside the worker (profiling the bench itself).
        const t = Date.now();
        const r = await env.DB.prepare(await request.text()).all();
        return Response.json({ ms: Date.now() - t, rows: r.results.length, first: r.results[0], meta: r.meta });
      }
      case "POST /__bench/raw-read": {
        // Where a drill-down's time goes: visits, lander clicks and conversion events apart.
        const q = (await request.json()) as { start: number; end: number; groupBy: string } & RawSelection;
        const reader = new RawReader(env.DB, { tz: "UTC", from: "", to: "", start: q.start, end: q.end });
        const sel: RawSelection = { entities: [], attributes: q.attributes };
        const statements = reader.statements(sel, { by: "attribute", column: q.groupBy });
        const out = [];
        for (const [i, sql] of statements.entries()) {
          const t = Date.now();
          const r = await env.DB.prepare(sql).all();
          const ms = Date.now() - t;
          const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).all<{ detail: string }>();
          out.push({
            source: ["visit", "click", "event"][i],
            ms,
            rowsRead: r.meta.rows_read,
            groups: r.results.length,
            plan: plan.results.map((p) => p.detail).join("; "),
          });
        }
        return Response.json(out);
      }
      case "GET /__bench/stats":
        return Response.json(await stats(env));
      case "POST /__bench/reset":
        Object.assign(counters, { statements: 0, rowsWritten: 0, failures: 0 });
        return Response.json(counters);
    }
    return app.fetch(request, e, ctx);
  },
  queue: (batch, env, ctx) => app.queue(batch, benchEnv(env), ctx),
  scheduled: (controller, env, ctx) => app.scheduled(controller, benchEnv(env), ctx),
} satisfies ExportedHandler<Env>;
