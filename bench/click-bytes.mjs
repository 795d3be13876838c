// `npm run bench -- --only clickbytes [--quick]`: what one click adds to D1, typical and worst case.
// Worst case: var1…var10 and externalid of 1,000 random characters each, a random 512-character
// user agent, a long Referer and Accept-Language; once from one address (the new-value budget
// applies), once from a new address per click (a fresh budget each time). D1's size is read
// before and after, the cron's attribute rollups included.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDevVars } from "../scripts/start.mjs";
import { adminToken, client } from "./lib/app.mjs";
import { applyMigrations, buildApp, root, startApp, stop } from "./lib/servers.mjs";

const step = (text) => console.log(`[clickbytes ${new Date().toISOString().slice(11, 19)}] ${text}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const random = (n) =>
  Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");

function worstQuery() {
  const vars = Array.from({ length: 10 }, (_, i) => `var${i + 1}=${random(1000)}`);
  return `?${vars.join("&")}&externalid=${random(1000)}`;
}
const worstHeaders = () => ({
  "user-agent": `Mozilla/5.0 ${random(600)}`,
  referer: `https://${random(60)}.example/${random(500)}`,
  "accept-language": `${random(2)}-${random(90)}`,
});

const SCENARIOS = [
  { name: "typical", query: () => "?var1=zone-17&externalid=abc123", headers: () => ({}), ip: () => "198.51.100.1" },
  { name: "worst, one address", query: worstQuery, headers: worstHeaders, ip: () => "198.51.100.2" },
  {
    name: "worst, a new address per click",
    query: worstQuery,
    headers: worstHeaders,
    ip: (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  },
];

export async function clickBytes({ quick }) {
  ensureDevVars();
  const clicks = quick ? 200 : 1_000;
  const dir = mkdtempSync(join(tmpdir(), "clicktrail-clickbytes-"));
  let app;
  const rows = [];
  try {
    step("bundling and starting the app");
    app = await startApp({
      script: buildApp(join(dir, "build")),
      persistTo: join(dir, "app"),
      log: join(dir, "app.log"),
    });
    await applyMigrations(app.mf);
    const api = client(app.url, adminToken());
    const { id: campaignId } = await api.campaign(0.01);
    const db = await app.mf.getD1Database("DB");
    const worker = await app.mf.getWorker();
    const size = async () => (await db.prepare("SELECT 1").run()).meta.size_after;
    let visits = (await api.stats()).rows.visits;
    let ipBase = 0;
    for (const s of SCENARIOS) {
      const before = await size();
      step(`${s.name}: ${clicks} clicks`);
      for (let i = 0; i < clicks; i += 20) {
        await Promise.all(
          Array.from({ length: Math.min(20, clicks - i) }, (_, k) =>
            fetch(`${app.url}/c/${campaignId}${s.query()}`, {
              redirect: "manual",
              headers: { ...s.headers(), "cf-connecting-ip": s.ip(ipBase + i + k) },
            }).then((r) => r.arrayBuffer()),
          ),
        );
      }
      ipBase += clicks;
      visits = (await api.settle("visits", visits + clicks, 60_000)).rows.visits;
      await worker.scheduled({ cron: "*/5 * * * *" }); // the attribute rollups
      await sleep(1_000);
      const after = await size();
      rows.push({
        scenario: s.name,
        clicks,
        bytes: after - before,
        bytesPerClick: Math.round((after - before) / clicks),
      });
      step(`${s.name}: ${Math.round((after - before) / clicks)} bytes per click`);
    }
  } finally {
    if (app) await stop(app);
    rmSync(dir, { recursive: true, force: true });
  }
  const resultsDir = join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const out = join(resultsDir, `clickbytes-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
  console.log(`\n| what a click sends | clicks | D1 bytes per click |\n| --- | --- | --- |`);
  for (const r of rows) console.log(`| ${r.scenario} | ${r.clicks} | ${r.bytesPerClick.toLocaleString("en-US")} |`);
  console.log(`\nJSON: ${out}`);
  return 0;
}
