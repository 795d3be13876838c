#!/usr/bin/env node
// `npm run bench [-- --quick]`: the app (started exactly as `npm start` starts it) side by side
// with a bare worker under the same wrangler and workerd. Prints a table, writes bench/results/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { ensureDevVars } from "../scripts/start.mjs";
import { adminToken, client } from "./lib/app.mjs";
import { postbacks, redirects, upload } from "./lib/phases.mjs";
import { seedStorage, timeReports } from "./lib/report.mjs";
import { BARE_LOCATION, root, startApp, startBare, stop, waitReady } from "./lib/servers.mjs";
import { table } from "./lib/table.mjs";

const quick = process.argv.includes("--quick");
// `--only upload`: just that phase (full size unless --quick), for measuring one change quickly.
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt === -1 ? null : process.argv[onlyAt + 1];
const runs = (phase) => only === null || only === phase;
const CONNECTIONS = 50;
const config = {
  quick,
  redirect: { amount: quick ? 5_000 : 10_000, rounds: quick ? 2 : 5, connections: CONNECTIONS },
  postback: { amount: quick ? 1_000 : 3_000, rounds: quick ? 2 : 3, connections: CONNECTIONS },
  upload: { clicks: quick ? 1_000 : 10_000, txids: 10, connections: CONNECTIONS },
  seed: { visits: quick ? 100_000 : 1_000_000, conversions: quick ? 10_000 : 100_000 },
  reportRuns: quick ? 3 : 5,
};
// All inside this project's bench range 8795-8799 (8796 is measure:report's default port).
const ports = { app: 8795, appInspector: 8798, bare: 8799, bareInspector: 8797 };

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
  },
  config,
  notMeasured: {},
};
for (const phase of ["postback", "upload", "report"])
  if (!runs(phase)) results.notMeasured[phase] = `skipped (--only ${only})`;

ensureDevVars();
let seeded;
if (runs("report")) {
  step(`seeding ${config.seed.visits} visits and ${config.seed.conversions} conversions for the report`);
  seeded = await attempt("report", () => seedStorage(join(storage, "app"), config.seed));
}
const app = startApp({
  port: ports.app,
  inspectorPort: ports.appInspector,
  persistTo: join(storage, "app"),
  log: log("app"),
});
const bare = startBare({
  port: ports.bare,
  inspectorPort: ports.bareInspector,
  persistTo: join(storage, "bare"),
  log: log("bare"),
});
const servers = [app, bare];
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => shutdown().then(() => process.exit(130)));
// A wedged server must not keep the run (and its two servers) alive forever.
const watchdog = setTimeout(() => {
  console.error("bench: no result after 20 minutes; stopping the servers");
  shutdown().then(() => process.exit(1));
}, 20 * 60_000);

async function shutdown() {
  await Promise.all(servers.map(stop));
  rmSync(storage, { recursive: true, force: true });
}

try {
  step("starting the app (scripts/start.mjs) and the bare worker");
  const api = client(app.url, adminToken());
  // Readiness checks that prove these are our servers, not something else on the port.
  await Promise.all([
    waitReady(app, () => api.stats()),
    waitReady(bare, async () => {
      const res = await fetch(`${bare.url}/c/1`, { redirect: "manual" });
      if (res.status !== 302 || res.headers.get("location") !== BARE_LOCATION)
        throw new Error(`unexpected answer ${res.status}`);
    }),
  ]);
  const { id: campaignId } = await api.campaign(0.01);
  const ctx = { app, bare, api, campaignId };
  const visitsBefore = (await api.stats()).rows.visits; // the seed's

  if (runs("redirect")) {
    step(`redirects: warm-up, then ${config.redirect.rounds} rounds of ${config.redirect.amount} per server`);
    results.redirect = await redirects(config.redirect, ctx);
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
  const answered = [results.redirect?.answered, results.postback?.mint.answered, results.upload?.mint.answered];
  const expected = answered.reduce((n, a) => n + (a ?? 0), 0);
  const visits = (await api.settle("visits", visitsBefore + expected)).rows.visits - visitsBefore;
  results.visitCheck = { answered: expected, visits };

  if (seeded) {
    step("report over the seeded data");
    results.report = await attempt("report", () => timeReports(api, seeded, config.reportRuns));
  }
} finally {
  clearTimeout(watchdog);
  await shutdown();
}

// Errors the app logged during the run (a hung or failed request would show up here).
const appLog = readFileSync(log("app"), "utf8");
results.appLogErrors = (appLog.match(/ERROR|different request context|visit not recorded/g) ?? []).length;

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
