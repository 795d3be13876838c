#!/usr/bin/env node
// `npm run bench -- --only rules [--quick]`: how long the cron takes to evaluate 20 rules over
// 200 campaigns and 5,000 zones (25 zones of var1 per campaign), on the app bundled as
// `wrangler deploy` bundles it and served by Miniflare directly. Every rule looks at every
// campaign with its own window (24 h, 25 h, … 43 h), so no two rules share figures: 4,000 report
// reads per pass, the worst case. Half the rules match every zone (cost > 0, no conversion) and
// blocklist it, half match none. Prints the times and writes bench/results/rules-<stamp>.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDevVars } from "../scripts/start.mjs";
import { adminToken, client } from "./lib/app.mjs";
import { applyMigrations, buildApp, root, startApp, stop } from "./lib/servers.mjs";

const quick = process.argv.includes("--quick");
const CAMPAIGNS = quick ? 20 : 200;
const ZONES_PER_CAMPAIGN = 25;
const RULES = 20;
const CONNECTIONS = 50;
const step = (text) => console.log(`[bench rules ${new Date().toISOString().slice(11, 19)}] ${text}`);

ensureDevVars();
const storage = mkdtempSync(join(tmpdir(), "clicktrail-rules-"));
let app;
const results = { date: new Date().toISOString(), machine: { cpus: cpus().length, loadBefore: loadavg()[0] } };
try {
  step("bundling and starting the app on Miniflare");
  app = await startApp({
    script: buildApp(join(storage, "build")),
    persistTo: join(storage, "app"),
    log: join(storage, "app.log"),
  });
  await applyMigrations(app.mf);
  const api = client(app.url, adminToken());
  const worker = await app.mf.getWorker("clicktrail");
  const cron = async () => {
    const started = performance.now();
    await worker.scheduled({ cron: "*/5 * * * *", scheduledTime: new Date() });
    return Math.round(performance.now() - started);
  };

  step(`${CAMPAIGNS} campaigns, one visit on each of their ${ZONES_PER_CAMPAIGN} zones`);
  const offer = await api.call("POST", "/api/offers", {
    name: "Bench offer",
    url: "https://offer.example/?c={clickid}",
    payout: { mode: "auto" },
  });
  const ids = [];
  for (let c = 0; c < CAMPAIGNS; c++) {
    const campaign = await api.call("POST", "/api/campaigns", {
      name: `Rules ${c}`,
      offers: [{ offerId: offer.id, weight: 1 }],
      costPerClick: 0.01,
    });
    ids.push(campaign.id);
  }
  const urls = ids.flatMap((id, c) =>
    Array.from({ length: ZONES_PER_CAMPAIGN }, (_, z) => `${app.url}/c/${id}?var1=zone${c * ZONES_PER_CAMPAIGN + z}`),
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < urls.length) {
        const res = await fetch(urls[next++], { redirect: "manual" });
        if (res.status !== 302) throw new Error(`click answered ${res.status}`);
        await res.arrayBuffer();
      }
    }),
  );
  for (let deadline = Date.now() + 120_000; (await api.stats()).rows.visits < urls.length; ) {
    if (Date.now() > deadline) throw new Error("visits did not reach D1 within 2 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }
  results.visits = urls.length;
  // The first cron aggregates the visits' attribute rows, as production's would have by now.
  results.cronWithoutRulesMs = [await cron(), await cron()];

  for (let i = 0; i < RULES; i++) {
    const acting = i % 2 === 0;
    await api.call("POST", "/api/rules", {
      name: `Bench rule ${i}`,
      dimension: "var1",
      window: { hours: 24 + i },
      conditions: acting
        ? [
            { metric: "cost", op: ">", value: 0 },
            { metric: "conversions", op: "=", value: 0 },
          ]
        : [{ metric: "visits", op: ">=", value: 1_000_000 }],
      action: { type: "blocklist" },
    });
  }
  step(`${RULES} rules: the first pass (every matching zone acts), then two passes with nothing new`);
  results.cronWithRulesMs = { firstPass: await cron(), steady: [await cron(), await cron()] };
  const blocked = await api.call("GET", `/api/campaigns/${ids[0]}/blocklist`);
  results.blocklistedPerCampaign = blocked.var1?.length ?? 0;
  const baseline = Math.min(...results.cronWithoutRulesMs);
  results.rulesOnlyMs = {
    firstPass: results.cronWithRulesMs.firstPass - baseline,
    steady: Math.min(...results.cronWithRulesMs.steady) - baseline,
  };
  results.setup = {
    campaigns: CAMPAIGNS,
    zones: CAMPAIGNS * ZONES_PER_CAMPAIGN,
    rules: RULES,
    reportReadsPerPass: CAMPAIGNS * RULES,
  };
} finally {
  results.machine.loadAfter = loadavg()[0];
  await stop(app);
  rmSync(storage, { recursive: true, force: true });
}
const dir = join(root, "bench", "results");
mkdirSync(dir, { recursive: true });
const out = join(dir, `rules-${results.date.replace(/[:.]/g, "-")}.json`);
writeFileSync(out, JSON.stringify(results, null, 2));
console.log(JSON.stringify(results, null, 2), `\nJSON: ${out}`);
