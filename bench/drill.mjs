// `npm run bench -- --only drill [--seconds N] [--quick]`: the load-and-fault drill. Mixed load
// (clicks and postbacks on one campaign, flow clicks and lander clicks on another) for N seconds
// (60; 15 with --quick), a source-postback receiver that fails a share of first calls, a kill -9
// of workerd halfway and a restart on the same state, then, once the queues have drained,
// answered against stored for each kind of record. Exits 1 on a loss beyond the documented one
// (records answered before the kill and not yet written) or on anything stored or delivered twice.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDevVars } from "../scripts/start.mjs";
import { account, catchUp } from "./crash.mjs";
import { adminToken, client } from "./lib/app.mjs";
import { pairLoad, queuedClickIds } from "./lib/crash-load.mjs";
import { flakyReceiver, landerLoad } from "./lib/drill-load.mjs";
import { applyMigrations, buildApp, root, startApp, stop } from "./lib/servers.mjs";

const QUEUED_MARK = "bench-queued"; // bench/worker/entry.ts's QUEUED_MARK
const FAIL_SHARE = 0.2;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const step = (text) => console.log(`[drill ${new Date().toISOString().slice(11, 19)}] ${text}`);

export async function loadFaultDrill({ quick, argv }) {
  ensureDevVars();
  const secondsAt = argv.indexOf("--seconds");
  const seconds = secondsAt === -1 ? (quick ? 15 : 60) : Number(argv[secondsAt + 1]);
  const cfg = { seconds, connections: 16, quietMs: 12_000, maxCatchUpMs: 90_000, drainMs: 120_000 };
  const resultsDir = join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const log = (n) => join(resultsDir, `${stamp}-drill-${n}.log`);
  const dir = mkdtempSync(join(tmpdir(), "clicktrail-drill-"));
  const persistTo = join(dir, "state");
  const receiver = await flakyReceiver(FAIL_SHARE);
  const vars = { BENCH_QUEUE_LOG: "1", POSTBACK_PRIVATE_HOSTS: "127.0.0.1" };
  let live;
  try {
    step("bundling bench/worker/entry.ts");
    const script = buildApp(join(dir, "build"));
    live = await startApp({ script, persistTo, log: log(1), vars });
    await applyMigrations(live.mf);
    const api = client(live.url, adminToken());
    const source = await api.call("POST", "/api/traffic-sources", { name: "Drill source", postbackUrl: receiver.url });
    const { id: campaignId } = await api.campaign(0.01);
    const { id: flowCampaignId } = await api.flowCampaign(0.01);
    for (const id of [campaignId, flowCampaignId])
      await api.call("PATCH", `/api/campaigns/${id}`, { trafficSourceId: source.id });
    const half = (cfg.seconds * 1000) / 2;
    const loads = (url) => [
      pairLoad({ url, campaignId, connections: cfg.connections / 2 }),
      landerLoad({ url, flowCampaignId, connections: cfg.connections / 2 }),
    ];
    step(`${half / 1000} s of mixed load, ${FAIL_SHARE * 100} % of first source calls fail, then kill -9`);
    const before = loads(live.url);
    await sleep(half);
    process.kill(live.pid, "SIGKILL");
    const killedAt = Date.now();
    for (const l of before) l.stop();
    await Promise.all(before.map((l) => l.done));
    await sleep(500); // lets Node read what workerd wrote to its pipes before it died
    await stop(live);
    step(`workerd ${live.pid} killed; restarting on the same state, ${half / 1000} s more load`);
    live = await startApp({ script, persistTo, log: log(2), vars });
    const restartedAt = Date.now();
    const after = loads(live.url);
    await sleep(half);
    for (const l of after) l.stop();
    await Promise.all(after.map((l) => l.done));
    step("load stopped; waiting for the queues to drain");
    const caught = await catchUp(live, cfg);
    const deliveries = await drainDeliveries(live, cfg.drainMs, killedAt);
    const landerRows = await clickIds(live, "lander_clicks");
    const twice = { visits: await doubled(live, "raw_visits"), conversions: await doubled(live, "conversions") };
    const seen = merge([before[0].seen, after[0].seen], [before[1].seen, after[1].seen]);
    const queued = queuedClickIds(log(1), QUEUED_MARK);
    const result = {
      date: new Date().toISOString(),
      config: { ...cfg, failShare: FAIL_SHARE },
      ...account(seen.pairs, queued, caught.db, killedAt),
      landerClicks: landerAccount(seen.landers, landerRows, restartedAt),
      deliveries: { ...deliveries, receiver: receiver.stats(), conversionsStored: caught.db.conv.size },
      twice,
      restartedMsAfterKill: restartedAt - killedAt,
      errorsCutOff: seen.errors,
      drainSeconds: caught.seconds + deliveries.seconds,
    };
    writeFileSync(join(resultsDir, `drill-${stamp}.json`), JSON.stringify(result, null, 2));
    const { text, failures } = verdict(result);
    console.log(`\n${text}`);
    if (failures.length) console.log(`\nFAILED: ${failures.join("; ")}`);
    return failures.length ? 1 : 0;
  } finally {
    if (live) await stop(live);
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both loads' answers as one: clicks of both campaigns count as visits. */
function merge(pairs, landers) {
  const answeredAt = new Map([...pairs, ...landers].flatMap((s) => [...s.answeredAt]));
  return {
    pairs: {
      redirects: [...pairs, ...landers].flatMap((s) => s.redirects ?? s.flowRedirects),
      accepted: pairs.flatMap((s) => s.accepted),
      answeredAt,
    },
    landers: { clicks: landers.flatMap((s) => s.landerClicks), answeredAt },
    errors: [...pairs, ...landers].reduce((n, s) => n + s.errors, 0),
  };
}

async function clickIds(server, table) {
  const db = await server.mf.getD1Database("DB");
  const rows = (await db.prepare(`SELECT click_id AS id FROM ${table}`).all()).results;
  return rows.map((r) => r.id);
}

/** Rows beyond the first for the same click ID. */
async function doubled(server, table) {
  const db = await server.mf.getD1Database("DB");
  const row = await db.prepare(`SELECT count(*) - count(DISTINCT click_id) AS n FROM ${table}`).first();
  return row.n;
}

function landerAccount(seen, stored, restartedAt) {
  const storedSet = new Set(stored);
  const lost = seen.clicks.filter((id) => !storedSet.has(id));
  return {
    answered: seen.clicks.length,
    stored: stored.length,
    lost: lost.length,
    lostAfterRestart: lost.filter((id) => seen.answeredAt.get(id) >= restartedAt).length,
    doubled: stored.length - storedSet.size,
  };
}

/**
 * Polls the source-postback deliveries until none is pending or the count has not moved for
 * 25 s (past the first retry's 10 s delay), with a deadline. Pending rows created before the kill
 * had their queue message in Miniflare's memory (docs/performance.md): only the 48 h sweep ends them.
 */
async function drainDeliveries(server, deadlineMs, killedAt) {
  const started = Date.now();
  const db = await server.mf.getD1Database("DB");
  const worker = await server.mf.getWorker();
  const count = async () =>
    (await db
      .prepare(
        `SELECT count(*) AS rows, count(DISTINCT conversion_id) AS conversions, sum(state = 'delivered') AS delivered,
             sum(state = 'pending') AS pending, sum(state = 'pending' AND created_at < ?1) AS pendingFromBeforeKill,
             sum(state = 'failed') AS failed FROM source_postbacks`,
      )
      .bind(killedAt)
      .first()) ?? {};
  let state = await count();
  let since = Date.now();
  while (state.pending > 0 && Date.now() - since < 25_000 && Date.now() - started < deadlineMs) {
    await worker.scheduled({ cron: "*/5 * * * *" }); // hands unsent deliveries to the queue
    await sleep(2_000);
    const next = await count();
    if (next.pending !== state.pending) since = Date.now();
    state = next;
  }
  return { ...state, seconds: (Date.now() - started) / 1000 };
}

function verdict(r) {
  const d = r.deliveries;
  const rows = [
    ["", "answered", "stored", "lost", "twice"],
    ["clicks (302 of /c/:id → raw_visits)", r.visits.answered, r.visits.stored, r.visits.lost, r.twice.visits],
    [
      "lander clicks (302 of /click/1 → lander_clicks)",
      r.landerClicks.answered,
      r.landerClicks.stored,
      r.landerClicks.lost,
      r.landerClicks.doubled,
    ],
    [
      'conversions ("accepted" → conversions)',
      r.conversions.accepted,
      r.conversions.stored,
      r.conversions.lost,
      r.twice.conversions,
    ],
    [
      "source postbacks (stored conversions → receiver 200s)",
      d.conversionsStored,
      d.receiver.delivered,
      d.conversionsStored - d.receiver.delivered,
      d.receiver.doubled,
    ],
  ];
  const text = [
    ...rows.map((cells) => `| ${cells.join(" | ")} |`).toSpliced(1, 0, "|---|---|---|---|---|"),
    "",
    `Load: ${r.config.seconds} s, ${r.config.connections} loops, kill -9 halfway; ${r.errorsCutOff} requests cut off by the kill.`,
    `Lost clicks: ${r.visits.lostNeverQueued} in the isolate's open batch, ${r.visits.lostAfterQueued} in Miniflare's in-memory queue; answered ${r.visits.lostAnsweredMsBeforeKill?.join("–") ?? "–"} ms before the kill.`,
    `Deliveries: ${d.rows} rows, ${d.delivered} delivered, ${d.pending} pending (${d.pendingFromBeforeKill} created before the kill), ${d.failed} failed; receiver took ${d.receiver.calls} calls, failed ${d.receiver.failedFirst} on purpose.`,
    `Drained in ${r.drainSeconds.toFixed(1)} s after the load stopped.`,
  ].join("\n");
  const failures = [];
  // Documented loss: only records the killed process answered and had not yet written
  // (docs/performance.md); its last answers may reach Node a few ms after the kill was sent.
  const beforeKill = r.visits.lostAnsweredMsBeforeKill;
  if (r.visits.lost && !(beforeKill && beforeKill[0] > -r.restartedMsAfterKill))
    failures.push("a click answered after the restart was lost");
  if (r.landerClicks.lostAfterRestart)
    failures.push(`${r.landerClicks.lostAfterRestart} lander clicks answered after the restart lost`);
  if (r.conversions.lost) failures.push(`${r.conversions.lost} accepted conversions lost`);
  if (r.twice.visits || r.twice.conversions) failures.push("a click or conversion stored twice");
  if (r.landerClicks.doubled) failures.push("a lander click stored twice");
  if (d.receiver.doubled) failures.push(`${d.receiver.doubled} source postbacks delivered twice`);
  // Documented loss: a delivery whose queue message was in Miniflare's memory at the kill.
  if (d.pending > d.pendingFromBeforeKill || d.failed || d.conversions !== d.conversionsStored)
    failures.push("a source postback created after the restart was not delivered");
  return { text, failures };
}
