#!/usr/bin/env node
// `npm run bench:profile [-- redirect|flow|direct|click|postback|upload] [-- --amount N]`: where the app's own CPU
// time goes. Starts the bench's app on Miniflare with workerd's V8 inspector open, warms it up,
// then samples the worker's isolate (the ingest shards run in it too; local D1 runs in another)
// while autocannon sends N requests (upload: one upload of N lines), and prints the functions that
// took the most time: self (in the function's own code) and total (with what it called). The
// whole profile goes to bench/results/profile-<phase>-<time>.cpuprofile (Chrome DevTools opens it).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ensureDevVars } from "../scripts/start.mjs";
import { adminToken, client, mintClicks } from "./lib/app.mjs";
import { fire } from "./lib/load.mjs";
import { applyMigrations, buildApp, cpuMs, root, startApp, stop } from "./lib/servers.mjs";

const phase = process.argv.slice(2).find((a) => !a.startsWith("--") && !/^\d+$/.test(a)) ?? "redirect";
const amountAt = process.argv.indexOf("--amount");
const amount = amountAt === -1 ? 20_000 : Number(process.argv[amountAt + 1]);
const PHASES = ["redirect", "flow", "direct", "click", "postback", "upload"];
if (!PHASES.includes(phase)) throw new Error(`unknown phase ${phase}: one of ${PHASES.join(", ")}`);
const CONNECTIONS = 50;

const storage = mkdtempSync(join(tmpdir(), "clicktrail-profile-"));
const resultsDir = join(root, "bench", "results");
mkdirSync(resultsDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
ensureDevVars();
const script = buildApp(join(storage, "build"));
const modules = bundleModules(script);
const app = await startApp({
  script,
  persistTo: join(storage, "app"),
  log: join(resultsDir, `${stamp}-profile.log`),
  inspectorPort: 0,
});
try {
  await applyMigrations(app.mf);
  const api = client(app.url, adminToken());
  const { id: campaignId } = await api.campaign(0.01);
  let load;
  if (phase === "redirect") {
    load = (n) => fire({ url: app.url, amount: n, connections: CONNECTIONS, path: `/c/${campaignId}?var1=bench` });
  } else if (phase === "flow") {
    // Through the bench's 3-rule flow to a lander (bench/lib/app.mjs flowCampaign).
    const { id } = await api.flowCampaign(0.01);
    load = (n) => fire({ url: app.url, amount: n, connections: CONNECTIONS, path: `/c/${id}?var1=bench` });
  } else if (phase === "direct") {
    // The direct-tracking beacon, as the bench's phase (bench/lib/phases.mjs directVisits).
    const page = encodeURIComponent("https://lander.example/lp?var1=bench");
    const path = `/dt/visit?campaign=${campaignId}&url=${page}`;
    load = (n) => fire({ url: app.url, amount: n, connections: CONNECTIONS, path });
  } else if (phase === "click") {
    // GET /click/2 with lander visits' click IDs, each used in turn, as the bench's phase.
    const { id } = await api.flowCampaign(0.01);
    const { ids } = await mintClicks(app.url, id, 5_000, CONNECTIONS);
    let next = 0;
    const requests = [
      { method: "GET", setupRequest: (req) => ({ ...req, path: `/click/2?cid=${ids[next++ % ids.length]}` }) },
    ];
    load = (n) => fire({ url: app.url, amount: n, connections: CONNECTIONS, requests });
  } else if (phase === "upload") {
    // 10 transaction IDs per click, as the bench's upload; the warm-up uploads its own clicks.
    const { ids } = await mintClicks(app.url, campaignId, Math.ceil((amount + 5_000) / 10), CONNECTIONS);
    let next = 0;
    load = async (n) => {
      const lines = [];
      while (lines.length < n) {
        const cid = ids[next++];
        for (let t = 0; t < 10 && lines.length < n; t++) lines.push(`${cid},2.5,up-${t}`);
      }
      await api.reset();
      const started = performance.now();
      const answer = await api.call("POST", "/api/conversions/upload", lines.join("\n"), {
        "content-type": "text/plain",
      });
      const seconds = (performance.now() - started) / 1000;
      console.log(`upload of ${n} lines: ${seconds.toFixed(1)} s, ${JSON.stringify(answer.summary)}`);
      const { d1 } = await api.stats();
      console.log(
        `D1 statements by kind (count, ms by D1's own timing): ${JSON.stringify(d1.byKind)} ${JSON.stringify(d1.msByKind)}`,
      );
      return { answered: n, rps: n / seconds };
    };
  } else {
    const { ids } = await mintClicks(app.url, campaignId, amount + 5_000, CONNECTIONS);
    let next = 0;
    const requests = [
      {
        method: "GET",
        setupRequest: (req) => ({ ...req, path: `/postback?cid=${ids[next]}&payout=1.25&txid=bench-${next++}` }),
      },
    ];
    load = (n) => fire({ url: app.url, amount: n, connections: CONNECTIONS, requests });
  }
  // Warm-up (JIT, caches, Durable Objects started), also the unprofiled CPU time per request.
  const warmCpu = cpuMs(app.pid);
  const warm = await load(5_000);
  const plainCpu = (cpuMs(app.pid) - warmCpu) / warm.answered;
  const inspector = await connect(app.mf);
  await inspector.send("Profiler.enable");
  await inspector.send("Profiler.setSamplingInterval", { interval: 100 }); // microseconds
  await inspector.send("Profiler.start");
  const cpuBefore = cpuMs(app.pid);
  const run = await load(amount);
  const profiledCpu = (cpuMs(app.pid) - cpuBefore) / run.answered;
  const { profile } = await inspector.send("Profiler.stop");
  inspector.close();
  const file = join(resultsDir, `profile-${phase}-${stamp}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  console.log(`${phase}: ${run.answered} answered at ${Math.round(run.rps)}/s`);
  console.log(
    `workerd CPU per request: ${plainCpu.toFixed(3)} ms in the warm-up, ${profiledCpu.toFixed(3)} ms while profiled\n`,
  );
  console.log(summary(profile, run.answered, modules));
  console.log(`\nProfile: ${file}`);
} finally {
  await stop(app);
  rmSync(storage, { recursive: true, force: true });
}

/** A DevTools-protocol session with the app worker's isolate. */
async function connect(mf) {
  const base = (await mf.getInspectorURL()).href.replace(/^ws/, "http");
  const targets = await (await fetch(new URL("/json", base))).json();
  const target = targets.find((t) => t.id === "core:user:clicktrail");
  if (!target) throw new Error(`no inspector target for the app among ${targets.map((t) => t.id).join(", ")}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl ?? new URL(`/${target.id}`, base.replace(/^http/, "ws")).href);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(JSON.stringify(message.error)));
    else waiter.resolve(message.result);
  };
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        pending.set(++id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** Where each module of the bundle starts: esbuild heads each with a `// path` comment. */
function bundleModules(file) {
  const starts = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      const path = /^\/\/ ((?:node_modules|src|bench)\/\S+\.(?:[cm]?js|tsx?))$/.exec(line)?.[1];
      if (path) starts.push({ line: i, path });
    });
  return { file: basename(file), starts };
}

/** The package (node_modules/<name>) or source file a bundle line belongs to. */
function moduleOf(modules, line) {
  let found = "(bundle glue)";
  for (const m of modules) if (m.line <= line) found = m.path;
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(found)?.[1];
  return pkg ? `npm: ${pkg}` : found;
}

/** Per request and as a share of the isolate's busy time: by source (native calls counted to the JS that made them) and by function. */
function summary(profile, requests, modules) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const name = (n) => {
    const { functionName, url, lineNumber } = n.callFrame;
    const file = url ? url.split("/").pop() : "";
    return `${functionName || "(anonymous)"}${file ? ` ${file}:${lineNumber + 1}` : ""}`;
  };
  const source = (id) => {
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const { url, lineNumber } = nodes.get(n).callFrame;
      if (!url) continue;
      return url.split("/").pop() === modules.file ? moduleOf(modules.starts, lineNumber) : `runtime: ${url}`;
    }
    return nodes.get(id).callFrame.functionName || "(native)";
  };
  const bySource = new Map();
  const self = new Map();
  const total = new Map();
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  let sampled = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0; // the time until the next sample belongs to this one
    sampled += us;
    add(self, name(nodes.get(id)), us);
    add(bySource, source(id), us);
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const key = name(nodes.get(n));
      if (!seen.has(key)) add(total, key, us);
      seen.add(key);
    }
  });
  const busy = sampled - (self.get("(idle)") ?? 0);
  const row = ([key, us]) =>
    `  ${(us / requests / 1000).toFixed(4).padStart(8)} ms  ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${key}`;
  const top = (map, n) =>
    [...map]
      .filter(([key]) => key !== "(idle)" && key !== "(root)")
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(row);
  return [
    `Isolate busy ${(busy / 1000).toFixed(0)} ms of ${(sampled / 1000).toFixed(0)} ms sampled; per request, and share of the busy time:`,
    "By source:",
    ...top(bySource, 20),
    "Self time by function:",
    ...top(self, 20),
    "Total time by function (with what it called):",
    ...top(total, 20),
  ].join("\n");
}
