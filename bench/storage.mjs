#!/usr/bin/env node
// Storage bench: `npm run bench -- --only storage [--quick]` runs every phase, or
//   node bench/storage.mjs [--only keys,write,outage,redirect,report,drill] [--quick]
// Prints one table per phase and writes bench/results/storage-<time>.json.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { outage, redirectCost } from "./storage/load-phase.mjs";
import { keysPerVisit } from "./storage/model.mjs";
import { drillDownTimes, reportTimes } from "./storage/report-phase.mjs";
import { build, root } from "./storage/server.mjs";
import { measureWrites } from "./storage/write-phase.mjs";

const args = process.argv.slice(2);
const only = args.includes("--only")
  ? args[args.indexOf("--only") + 1].split(",")
  : ["keys", "write", "outage", "redirect", "report", "drill"];
const quick = args.includes("--quick");
const results = { startedAt: new Date().toISOString(), loadBefore: loadavg() };

const script = build(mkdtempSync(join(tmpdir(), "ct-bench-build-")));
const table = (rows) => console.table(rows);

if (only.includes("keys")) {
  results.keys = keysPerVisit([2_500, 24_000, 120_000, 360_000]);
  console.log("\nDistinct attribute rollup keys per visit, by window (400 visits/s: 6 s, 1, 5, 15 min)");
  table(results.keys);
}

if (only.includes("write")) {
  // 300,000 visits at 400/s: 12.5 minutes of a billion-a-month account, two aggregation windows.
  const visits = quick ? 60_000 : 300_000;
  results.write = [];
  for (const batchVisits of [500, 2500]) results.write.push(await measureWrites(script, { visits, batchVisits }));
  console.log("\nRows written and bytes per visit (D1 meta.rows_written; dbstat bytes)");
  table(results.write);
}

if (only.includes("outage")) {
  results.outage = await outage(script, quick ? { seconds: 30, outageAt: 5, outageMs: 15_000 } : {});
  console.log("\nD1 failing for a minute under load: clicks answered and visits stored");
  table([results.outage]);
}

if (only.includes("redirect")) {
  results.redirect = await redirectCost(script, quick ? { duration: 5 } : {});
  console.log("\nThe redirect with the visit batched (default) and awaited in the queue");
  table(results.redirect);
}

if (only.includes("report")) {
  results.report = await reportTimes(script, quick ? { scales: [100_000, 1_000_000], runs: 3 } : {});
  console.log("\n30-day reports from the rollups (median ms over HTTP, one warm-up)");
  table(results.report);
}

if (only.includes("drill")) {
  const seeds = quick ? [{ perDay: 100_000, days: 7 }] : undefined;
  results.drillDown = await drillDownTimes(script, quick ? { seeds, runs: 3 } : {});
  console.log("\nDrill-downs with two attribute filters, from raw visits (median ms over HTTP; goal ≤ 2,000)");
  table(results.drillDown);
  console.log(
    `load average now: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
}

results.loadAfter = loadavg();
mkdirSync(join(root, "bench", "results"), { recursive: true });
const out = join(root, "bench", "results", `storage-${results.startedAt.replace(/[:.]/g, "-")}.json`);
writeFileSync(out, JSON.stringify(results, null, 2));
console.log(`\nwritten to ${out}`);
