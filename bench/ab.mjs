#!/usr/bin/env node
// `npm run bench:ab -- <rev-a> <rev-b> [redirect|direct|postback] [--rounds N] [--amount N]`: two
// revisions of the app (any git revision; `.` is the working tree) side by side, in turn, as
// `npm run bench` runs the app and the bare worker, for a change too small for one bench run to
// show on this machine (whose speed drifts by a third within a minute). Prints each round's CPU
// per request and req/s, and B against A round by round: the median of those ratios is the
// figure, their spread says how far to trust it. Both run with this checkout's bindings and vars.
import { execSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDevVars } from "../scripts/start.mjs";
import { adminToken, client } from "./lib/app.mjs";
import { median } from "./lib/load.mjs";
import { directPath, inTurn, mintFresh } from "./lib/phases.mjs";
import { applyMigrations, buildApp, root, startApp, stop } from "./lib/servers.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const [revA, revB, phase = "redirect"] = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
const PATHS = { redirect: "GET /c/<id>", direct: "GET /dt/visit", postback: "GET /postback" };
if (!revA || !revB || !(phase in PATHS)) {
  console.error("usage: npm run bench:ab -- <rev-a> <rev-b> [redirect|direct|postback] [--rounds N] [--amount N]");
  process.exit(2);
}
const cfg = {
  rounds: option("--rounds", 10),
  amount: option("--amount", phase === "postback" ? 2_500 : 10_000),
  connections: 50,
};
const dir = mkdtempSync(join(tmpdir(), "clicktrail-ab-"));
const step = (text) => console.log(`[ab ${new Date().toISOString().slice(11, 19)}] ${text}`);

/** The sources of a revision in a directory of their own, with this checkout's node_modules. */
function sourcesOf(rev, name) {
  const to = join(dir, name);
  mkdirSync(to);
  if (rev === ".")
    cpSync(root, to, {
      recursive: true,
      filter: (src) => !/\/(node_modules|\.git|\.wrangler|bench\/results)(\/|$)/.test(src),
    });
  else execSync(`git archive ${rev} | tar -x -C ${to}`, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  symlinkSync(join(root, "node_modules"), join(to, "node_modules"));
  return to;
}

ensureDevVars();
const servers = [];
try {
  const apps = [];
  for (const [name, rev] of [
    ["A", revA],
    ["B", revB],
  ]) {
    step(`building ${name} from ${rev === "." ? "the working tree" : rev}`);
    const script = buildApp(join(dir, `build-${name}`), sourcesOf(rev, name));
    const app = {
      ...(await startApp({ script, persistTo: join(dir, `state-${name}`), log: join(dir, `${name}.log`) })),
      name,
    };
    servers.push(app);
    await applyMigrations(app.mf);
    const api = client(app.url, adminToken());
    const { id: campaignId } = await api.campaign(0.01);
    apps.push({ app, api, campaignId, ids: [], next: 0 });
  }
  if (phase === "postback") {
    step(`minting ${cfg.amount * (cfg.rounds + 1)} click IDs on each`);
    for (const a of apps)
      a.ids = (await mintFresh(a.api, a.app, a.campaignId, cfg.amount * (cfg.rounds + 1), cfg.connections)).ids;
  }
  step(`${cfg.rounds} rounds of ${cfg.amount} ${PATHS[phase]} each, in turn`);
  const byName = Object.fromEntries(apps.map((a) => [a.app.name, a]));
  const run = await inTurn(
    cfg,
    apps.map((a) => a.app),
    (server) => {
      const a = byName[server.name];
      if (phase === "redirect") return { path: `/c/${a.campaignId}?var1=bench` };
      if (phase === "direct") return { path: directPath(a.campaignId) };
      return {
        requests: [
          {
            method: "GET",
            setupRequest: (req) => ({ ...req, path: `/postback?cid=${a.ids[a.next]}&payout=1.25&txid=ab-${a.next++}` }),
          },
        ],
      };
    },
  );
  const rounds = (name) => run.rounds[name];
  for (const name of ["A", "B"])
    console.log(
      `${name}: CPU ms per request ${rounds(name)
        .map((r) => r.cpuMsPerRequest.toFixed(3))
        .join(
          " ",
        )}; median ${run[name].cpuMsPerRequest.toFixed(3)} ms, ${run[name].rps.toFixed(0)} req/s, p99 ${run[name].p99} ms`,
    );
  for (const { app } of apps) {
    // Postbacks and the shard calls that took them (shared calls: src/ingest/shard-lanes.ts).
    const { lanes } = await (await fetch(`${app.url}/__bench/stats`)).json();
    if (lanes?.calls)
      console.log(
        `${app.name}: ${lanes.hits} hits in ${lanes.calls} shard calls, ${(lanes.hits / lanes.calls).toFixed(2)} a call`,
      );
  }
  const cpu = rounds("B").map((b, i) => b.cpuMsPerRequest / rounds("A")[i].cpuMsPerRequest);
  const rps = rounds("B").map((b, i) => b.rps / rounds("A")[i].rps);
  console.log(
    `B / A CPU per request, round by round: ${cpu.map((r) => r.toFixed(2)).join(" ")}; median ${median(cpu).toFixed(3)}`,
  );
  console.log(
    `B / A req/s, round by round: ${rps.map((r) => r.toFixed(2)).join(" ")}; median ${median(rps).toFixed(3)}`,
  );
} finally {
  await Promise.all(servers.map(stop));
  rmSync(dir, { recursive: true, force: true });
}
