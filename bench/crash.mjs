// `npm run bench -- --only crash [--send batched|awaited] [--quick]`: the crash drill. Loads the
// app with clicks and postbacks, SIGKILLs its workerd process mid-load, starts it again on the
// same persisted state, lets queues, alarms and the cron catch up, and compares what was answered
// with what was stored. Without --send it runs once per VISIT_QUEUE_SEND setting.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDevVars } from "../scripts/start.mjs";
import { adminToken, client } from "./lib/app.mjs";
import { pairLoad, queuedClickIds } from "./lib/crash-load.mjs";
import { crashTable } from "./lib/crash-report.mjs";
import { persistedState } from "./lib/crash-state.mjs";
import { applyMigrations, buildApp, root, startApp, stop } from "./lib/servers.mjs";

const QUEUED_MARK = "bench-queued"; // bench/worker/entry.ts's QUEUED_MARK
const CRON = "*/5 * * * *";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const step = (text) => console.log(`[crash ${new Date().toISOString().slice(11, 19)}] ${text}`);

export async function crashDrill({ quick, argv }) {
  ensureDevVars();
  const sendAt = argv.indexOf("--send");
  const modes = sendAt === -1 ? ["batched", "awaited"] : [argv[sendAt + 1]];
  const cfg = { loadMs: quick ? 3_000 : 6_000, connections: 32, quietMs: 12_000, maxCatchUpMs: 90_000 };
  const resultsDir = join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const dir = mkdtempSync(join(tmpdir(), "clicktrail-crash-"));
  const drills = [];
  let live;
  try {
    step("bundling bench/worker/entry.ts");
    const script = buildApp(join(dir, "build"));
    for (const mode of modes) {
      const log = (n) => join(resultsDir, `${stamp}-crash-${mode}-${n}.log`);
      const persistTo = join(dir, mode);
      const vars = { VISIT_QUEUE_SEND: mode, BENCH_QUEUE_LOG: "1" };
      step(`${mode}: starting the app, ${cfg.loadMs / 1000} s of clicks + postbacks, then kill -9`);
      live = await startApp({ script, persistTo, log: log(1), vars });
      await applyMigrations(live.mf);
      const { id: campaignId } = await client(live.url, adminToken()).campaign(0.01);
      const load = pairLoad({ url: live.url, campaignId, connections: cfg.connections });
      await sleep(cfg.loadMs);
      load.stop();
      process.kill(live.pid, "SIGKILL");
      const killedAt = Date.now();
      const killedPid = live.pid;
      await load.done;
      const atKill = persistedState(persistTo);
      // Miniflare would restart workerd by itself; the drill starts a new instance instead.
      await sleep(500); // lets Node read what workerd wrote to its pipes before it died
      await stop(live);
      step(`${mode}: workerd ${killedPid} killed; restarting on the same state`);
      live = await startApp({ script, persistTo, log: log(2), vars });
      const after = await catchUp(live, cfg);
      await stop(live);
      live = undefined;
      const seen = load.seen;
      drills.push({
        mode,
        loadMs: cfg.loadMs,
        killedPid,
        seen: { ...seen, redirects: seen.redirects.length, accepted: seen.accepted.length, answeredAt: undefined },
        atKill,
        catchUp: { seconds: after.seconds },
        atEnd: persistedState(persistTo),
        ...account(seen, queuedClickIds(log(1), QUEUED_MARK), after.db, killedAt),
      });
    }
  } finally {
    if (live) await stop(live);
    rmSync(dir, { recursive: true, force: true });
  }
  const results = { date: new Date().toISOString(), loadAvg: loadavg()[0], config: cfg, drills };
  const out = join(resultsDir, `crash-${stamp}.json`);
  writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`\n${crashTable(results)}\n\nJSON: ${out}`);
  return 0;
}

/**
 * Triggers the cron once, then polls the row counts until they have not moved for quietMs
 * (longer than the queue's 1 s batch timeout and the shards' 5 s outbox alarm).
 */
export async function catchUp(server, cfg) {
  const api = client(server.url, adminToken());
  const started = Date.now();
  const worker = await server.mf.getWorker();
  await worker.scheduled({ cron: CRON });
  let last = (await api.stats()).rows;
  let since = Date.now();
  while (Date.now() - since < cfg.quietMs && Date.now() - started < cfg.maxCatchUpMs) {
    await sleep(500);
    const rows = (await api.stats()).rows;
    if (rows.visits !== last.visits || rows.conversions !== last.conversions) since = Date.now();
    last = rows;
  }
  await worker.scheduled({ cron: CRON });
  const db = await server.mf.getD1Database("DB");
  const ids = async (table) =>
    new Set((await db.prepare(`SELECT click_id AS id FROM ${table}`).all()).results.map((r) => r.id));
  return {
    seconds: (Date.now() - started) / 1000,
    db: { visits: await ids("raw_visits"), conv: await ids("conversions") },
  };
}

/** Matches the answers seen with the rows stored. */
export function account(seen, queued, db, killedAt) {
  const answered = new Set(seen.redirects);
  const accepted = new Set(seen.accepted);
  const lostVisits = seen.redirects.filter((id) => !db.visits.has(id));
  const ago = (id) => seen.answeredAt.get(id);
  const lostConversions = seen.accepted.filter((id) => !db.conv.has(id));
  return {
    visits: {
      answered: answered.size,
      stored: db.visits.size,
      lost: lostVisits.length,
      lostNeverQueued: lostVisits.filter((id) => !queued.has(id)).length,
      lostAfterQueued: lostVisits.filter((id) => queued.has(id)).length,
      storedUnanswered: [...db.visits].filter((id) => !answered.has(id)).length,
      // How long before the kill the lost visits' 302s arrived: the window the kill wiped out.
      lostAnsweredMsBeforeKill: lostVisits.length
        ? [killedAt - Math.max(...lostVisits.map(ago)), killedAt - Math.min(...lostVisits.map(ago))]
        : null,
    },
    conversions: {
      accepted: accepted.size,
      stored: db.conv.size,
      lost: lostConversions.length,
      storedUnanswered: [...db.conv].filter((id) => !accepted.has(id)).length,
    },
  };
}
