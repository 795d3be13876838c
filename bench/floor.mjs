// `npm run bench -- --only floor [--quick]`: the app's postbacks beside the postback's floor
// (bench/floor/worker.js: a click ID's shard decides in one durable SQLite statement, D1 gets the
// new pairs in one statement every 500 ms, nothing else), each side by side with the bare worker
// in the same run. It tells how much of the distance to the bare worker is the app's own work and
// how much is the design's floor on this machine (D1, the Durable Objects' SQLite and the worker
// in one workerd process).
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDevVars } from "../scripts/start.mjs";
import { adminToken, client } from "./lib/app.mjs";
import { inTurn, mintFresh } from "./lib/phases.mjs";
import { applyMigrations, buildApp, root, startApp, startBare, startFloor, stop } from "./lib/servers.mjs";

const step = (text) => console.log(`[floor ${new Date().toISOString().slice(11, 19)}] ${text}`);
const f2 = (n) => n.toFixed(2);

export async function postbackFloor({ quick }) {
  ensureDevVars();
  // Rounds a multiple of 3: each server takes each place in the turn as often.
  const cfg = { amount: quick ? 2_000 : 5_000, rounds: quick ? 3 : 6, connections: 50 };
  const resultsDir = join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const dir = mkdtempSync(join(tmpdir(), "clicktrail-floor-"));
  const log = (name) => join(resultsDir, `${stamp}-floor-${name}.log`);
  const servers = [];
  const results = { date: new Date().toISOString(), cpus: cpus().length, loadBefore: loadavg()[0], config: cfg };
  try {
    step("starting the app, the floor and the bare worker on Miniflare");
    const app = await startApp({ script: buildApp(join(dir, "build")), persistTo: join(dir, "app"), log: log("app") });
    servers.push(app);
    const floor = await startFloor({ persistTo: join(dir, "floor"), log: log("floor") });
    servers.push(floor);
    const bare = await startBare({ log: log("bare") });
    servers.push(bare);
    await applyMigrations(app.mf);
    const api = client(app.url, adminToken());
    const { id: campaignId } = await api.campaign(0.01);

    const need = cfg.amount * (cfg.rounds + 1);
    step(
      `minting ${need} click IDs on the app, then ${cfg.rounds} rounds of ${cfg.amount} postbacks per server, in turn`,
    );
    const mint = await mintFresh(api, app, campaignId, need, cfg.connections);
    await api.reset();
    let appN = 0;
    let floorN = 0;
    const accepted = { app: 0, floor: 0 };
    // Each click ID once on the app; a fresh 32-character ID per request on the floor.
    const pathOf = {
      app: () => `/postback?cid=${mint.ids[appN]}&payout=1.25&txid=floor-${appN++}`,
      floor: () => `/postback?cid=${randomUUID().replaceAll("-", "")}&payout=1.25&txid=floor-${floorN++}`,
      bare: () => "/postback?cid=x&payout=1.25&txid=y",
    };
    const run = await inTurn(cfg, [app, floor, bare], (server) => ({
      requests: [
        {
          method: "GET",
          setupRequest: (req) => ({ ...req, path: pathOf[server.name]() }),
          onResponse: (status) => {
            if (status === 200 && server.name in accepted) accepted[server.name]++;
          },
        },
      ],
    }));
    // Each one's D1 rows, checked against the postbacks it accepted.
    const stats = await api.settle("conversions", mint.stats.rows.conversions + accepted.app);
    const db = await floor.mf.getD1Database("DB");
    const floorRows = (await db.prepare("SELECT count(*) AS n FROM floor_conversions").first()).n;
    results.run = run;
    results.app = { ...run.app, accepted: accepted.app, written: stats.rows.conversions - mint.stats.rows.conversions };
    results.floor = { ...run.floor, accepted: accepted.floor, written: floorRows };
    results.bare = run.bare;
  } finally {
    results.loadAfter = loadavg()[0];
    await Promise.all(servers.map(stop));
    rmSync(dir, { recursive: true, force: true });
  }
  const out = join(resultsDir, `floor-${stamp}.json`);
  writeFileSync(out, JSON.stringify(results, null, 2));
  const bare = results.bare;
  const line = (name, r) =>
    `| ${name} | ${r.rps.toFixed(0)} | ${f2(r.rps / bare.rps)}× | ${f2(r.cpuMsPerRequest)} ms | ${r.written} of ${r.accepted} |`;
  console.log(
    [
      "",
      "| postbacks (medians of the rounds) | req/s | of the bare worker's | workerd CPU per request | D1 rows written of accepted |",
      "|---|---|---|---|---|",
      line("the app (`GET /postback`)", results.app),
      line("the floor (bench/floor/worker.js)", results.floor),
      `| the bare worker | ${bare.rps.toFixed(0)} | 1.00× | ${f2(bare.cpuMsPerRequest)} ms | |`,
      "",
      `Load average (1 min) ${results.loadBefore.toFixed(1)} before, ${results.loadAfter.toFixed(1)} after.`,
      `JSON: ${out}`,
    ].join("\n"),
  );
  const complete = results.app.written === results.app.accepted && results.floor.written === results.floor.accepted;
  return complete ? 0 : 1;
}
