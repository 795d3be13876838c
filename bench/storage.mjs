#!/usr/bin/env node
// Storage bench (issue 11, item 9), standalone until `npm run bench` runs on Miniflare:
//   node bench/storage.mjs [--only write,outage,redirect,report] [--quick]
// Prints one table per phase and writes bench/results/storage-<time>.json.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { build, root } from "./storage/server.mjs";
import { measureWrites } from "./storage/write-phase.mjs";

const args = process.argv.slice(2);
const only = args.includes("--only")
  ? args[args.indexOf("--only") + 1].split(",")
  : ["write", "outage", "redirect", "report"];
const quick = args.includes("--quick");
const results = { startedAt: new Date().toISOString(), loadBefore: loadavg() };

const script = build(mkdtempSync(join(tmpdir(), "ct-bench-build-")));
const table = (rows) => console.table(rows);

if (only.includes("write")) {
  const visits = quick ? 10_000 : 50_000;
  results.write = [];
  for (const batchVisits of [500, 2500]) results.write.push(await measureWrites(script, { visits, batchVisits }));
  console.log("\nRows written and bytes per visit (D1 meta.rows_written; dbstat bytes)");
  table(results.write);
}

results.loadAfter = loadavg();
mkdirSync(join(root, "bench", "results"), { recursive: true });
const out = join(root, "bench", "results", `storage-${results.startedAt.replace(/[:.]/g, "-")}.json`);
writeFileSync(out, JSON.stringify(results, null, 2));
console.log(`\nwritten to ${out}`);
