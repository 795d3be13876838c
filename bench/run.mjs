#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --only <phase>]`: the app (bundled from bench/worker/entry.ts
// as `wrangler deploy` bundles it) side by side with a bare worker, each on Miniflare directly in
// its own workerd process. Prints a table, writes bench/results/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { ensureDevVars } from "../scripts/start.mjs";
import { adminToken, client } from "./lib/app.mjs";
import { directVisits, flowRedirects, landerClicks, postbacks, redirects, upload } from "./lib/phases.mjs";
import { seedStorage, timeReports } from "./lib/report.mjs";
import { applyMigrations, BARE_LOCATION, buildApp, root, startApp, startBare, stop } from "./lib/servers.mjs";
import { table } from "./lib/table.mjs";

const quick = process.argv.includes("--quick");
// `--only upload` (or `--only redirect,flow,click`): just those phases (full size unless --quick);
// `--only crash`: the crash drill instead (bench/crash.mjs); `--only storage [--quick]`: the
// storage bench (bench/storage.mjs: bytes and rows per visit, the D1 outage, reports at 1 and 100
// million visits), which seeds its own databases.
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt === -1 ? null : process.argv[onlyAt + 1];
const runs = (phase) => only === null || only.split(",").includes(phase);
// The crash drill (bench/crash.mjs) kills and restarts its own server, so it runs alone.
if (only === "crash") process.exit(await (await import("./crash.mjs")).crashDrill({ quick, argv: process.argv }));
// `--only drill [--quick] [--seconds N]`: the load-and-fault drill (bench/drill.mjs), alone too.
if (only === "drill") process.exit(await (await import("./drill.mjs")).loadFaultDrill({ quick, argv: process.argv }));
// `--only floor [--quick]`: the app's postbacks beside the postback's floor (bench/floor.mjs).
if (only === "floor") process.exit(await (await import("./floor.mjs")).postbackFloor({ quick }));
// `--only rules [--quick]`: the rules bench (bench/rules.mjs), which starts and seeds its own app.
if (only === "rules") {
  const { spawnSync } = await import("node:child_process");
  const rulesBench = new URL("./rules.mjs", import.meta.url).pathname;
  process.exit(
    spawnSync(process.execPath, [rulesBench, ...(quick ? ["--quick"] : [])], { stdio: "inherit" }).status ?? 1,
  );
}
// `--only clickbytes`: D1 bytes one click adds, typical and worst case (bench/click-bytes.mjs).
if (only === "clickbytes") process.exit(await (await import("./click-bytes.mjs")).clickBytes({ quick }));
if (only === "storage") {
  const { spawnSync } = await import("node:child_process");
  const storageBench = new URL("./storage.mjs", import.meta.url).pathname;
  process.exit(
    spawnSync(process.execPath, [storageBench, ...(quick ? ["--quick"] : [])], { stdio: "inherit" }).status ?? 1,
  );
}
const CONNECTIONS = 50;
const config = {
  quick,
  // Short rounds, many of them: this virtual machine's speed drifts by a third within a minute
  // (the bare worker's own rounds), and rounds of two or three seconds in turn see the same drift.
  redirect: { amount: quick ? 5_000 : 10_000, rounds: quick ? 2 : 10, connections: CONNECTIONS },
  postback: { amount: quick ? 2_000 : 2_500, rounds: quick ? 2 : 6, connections: CONNECTIONS },
  upload: { clicks: quick ? 1_000 : 10_000, txids: 10, connections: CONNECTIONS },
  seed: { visits: quick ? 100_000 : 1_000_000, conversions: quick ? 10_000 : 100_000 },
  reportRuns: quick ? 3 : 5,
};

const resultsDir = join(root, "bench", "results");
mkdirSync(resultsDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const step = (text) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}`);
const storage = mkdtempSync(join(tmpdir(), "clicktrail-bench-"));
const log = (name) => join(resultsDir, `${stamp}-${name}.log`);

const results = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    ramGiB: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    loadBefore: loadavg()[0],
  },
  config,
  notMeasured: {},
};
for (const phase of ["flow", "direct", "click", "postback", "upload", "report"])
  if (!runs(phase)) results.notMeasured[phase] = `skipped (--only ${only})`;

ensureDevVars(); // the app's ADMIN_TOKEN and CLICKID_SECRET, read by Miniflare as wrangler dev reads them
const servers = [];
let seeded;
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => shutdown().then(() => process.exit(130)));
// A wedged server must not keep the run (and its two workerd processes) alive forever.
const watchdog = setTimeout(() => {
  console.error("bench: no result after 20 minutes; stopping the servers");
  shutdown().then(() => process.exit(1));
}, 20 * 60_000);

async function shutdown() {
  await Promise.all(servers.map(stop));
  rmSync(storage, { recursive: true, force: true });
}

try {
  step("bundling bench/worker/entry.ts, starting the app and the bare worker on Miniflare");
  const script = buildApp(join(storage, "build"));
  const app = await startApp({ script, persistTo: join(storage, "app"), log: log("app") });
  servers.push(app);
  const bare = await startBare({ log: log("bare") });
  servers.push(bare);
  results.servers = { app: app.url, bare: bare.url };
  await applyMigrations(app.mf);
  const api = client(app.url, adminToken());
  // Both answer as expected before anything is measured.
  await api.stats();
  const probe = await fetch(`${bare.url}/c/1`, { redirect: "manual" });
  if (probe.status !== 302 || probe.headers.get("location") !== BARE_LOCATION)
    throw new Error(`bare worker: unexpected answer ${probe.status}`);
  if (runs("report")) {
    step(`seeding ${config.seed.visits} visits and ${config.seed.conversions} conversions for the report`);
    seeded = await attempt("report", () => seedStorage(app.mf, config.seed));
  }
  const { id: campaignId } = await api.campaign(0.01);
  const { id: flowCampaignId } = await api.flowCampaign(0.01);
  const ctx = { app, bare, api, campaignId, flowCampaignId };
  const visitsBefore = (await api.stats()).rows.visits; // the seed's

  if (runs("redirect")) {
    step(`redirects: warm-up, then ${config.redirect.rounds} rounds of ${config.redirect.amount} per server`);
    results.redirect = await redirects(config.redirect, ctx);
  }

  if (runs("flow")) {
    step(`flow redirects: ${config.redirect.rounds} rounds of ${config.redirect.amount} through 3 rules to a lander`);
    results.flow = await attempt("flow", () => flowRedirects(config.redirect, ctx));
  }

  if (runs("direct")) {
    step(`direct tracking: ${config.redirect.rounds} rounds of ${config.redirect.amount} GET /dt/visit`);
    results.direct = await attempt("direct", () => directVisits(config.redirect, ctx));
  }

  if (runs("click")) {
    step(`lander clicks: minting lander visits, then ${config.redirect.rounds} rounds of GET /click/2`);
    results.click = await attempt("click", () => landerClicks(config.redirect, ctx));
  }

  if (runs("postback")) {
    step(`postbacks: minting click IDs, then ${config.postback.rounds} rounds of ${config.postback.amount} per server`);
    results.postback = await attempt("postback", () => postbacks(config.postback, ctx));
  }

  if (runs("upload")) {
    step(`upload: ${config.upload.clicks} clicks x ${config.upload.txids} transaction IDs`);
    results.upload = await attempt("upload", () => upload(config.upload, ctx));
  }

  // Every redirect answered by the app, across all phases, must have left exactly one visit.
  const answered = [
    results.redirect?.answered,
    results.flow?.answered,
    results.direct?.visited,
    results.click?.mint.answered,
    results.postback?.mint.answered,
    results.upload?.mint.answered,
  ];
  const expected = answered.reduce((n, a) => n + (a ?? 0), 0);
  const visits = (await api.settle("visits", visitsBefore + expected)).rows.visits - visitsBefore;
  results.visitCheck = { answered: expected, visits };

  if (seeded) {
    step("report over the seeded data");
    results.report = await attempt("report", () => timeReports(api, seeded, config.reportRuns));
  }
} finally {
  results.machine.loadAfter = loadavg()[0];
  clearTimeout(watchdog);
  await shutdown();
}

// Errors the app logged during the run (a hung or failed request would show up here).
const appLog = existsSync(log("app")) ? readFileSync(log("app"), "utf8") : "";
results.appLogErrors = appLog
  .split("\n")
  .filter((line) => /"level":"error"|different request context|visit not recorded/.test(line)).length;

const out = join(resultsDir, `bench-${stamp}.json`);
writeFileSync(out, JSON.stringify(results, null, 2));
if (only === null) writeFileSync(join(resultsDir, "latest.json"), JSON.stringify(results, null, 2));
console.log(`\n${table(results)}\n\nJSON: ${out}`);

/** A phase whose endpoint is missing is reported as not measured, never faked. */
async function attempt(name, fn) {
  try {
    return await fn();
  } catch (err) {
    results.notMeasured[name] = String(err.message ?? err);
    step(`${name}: not measured: ${results.notMeasured[name]}`);
    return undefined;
  }
}
