// Starts the two servers of a bench run on Miniflare (one workerd process each, no wrangler dev
// and no proxy in front), and reads their memory and CPU time from /proc.
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from "wrangler";

export const root = join(import.meta.dirname, "..", "..");
/** What bench/bare/worker.js answers, so readiness can tell it from anything else. */
export const BARE_LOCATION = "https://offer.example/lp";
/** The app's wrangler configuration: the first of these that exists. */
const WRANGLER_CONFIGS = ["wrangler.toml", "wrangler.jsonc"];
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };

export function wranglerConfig(from = root) {
  const found = WRANGLER_CONFIGS.map((name) => join(from, name)).find(existsSync);
  if (!found) throw new Error(`none of ${WRANGLER_CONFIGS.join(", ")} found in ${from}`);
  return found;
}

/**
 * Bundles bench/worker/entry.ts (the app plus the bench's D1 counter and /__bench routes) the way
 * `wrangler deploy` bundles the app, with the app's configuration; returns the module's path.
 * `from`: another copy of the sources (bench/ab.mjs builds two revisions).
 */
export function buildApp(outdir, from = root) {
  const wrangler = join(root, "node_modules", ".bin", "wrangler");
  const args = [
    "deploy",
    join(from, "bench", "worker", "entry.ts"),
    "--dry-run",
    "--outdir",
    outdir,
    "-c",
    wranglerConfig(from),
  ];
  const run = spawnSync(wrangler, args, { cwd: from, env, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.stdout}\n${run.stderr}`);
  return join(outdir, "entry.js");
}

/**
 * The app: its bindings, vars, .dev.vars secrets and compatibility settings from the config.
 * `inspectorPort` (0 picks a free one) opens workerd's V8 inspector, for bench/profile.mjs;
 * `vars` overrides some of the config's vars (bench/crash.mjs sets VISIT_QUEUE_SEND).
 */
/**
 * A bundle's modules for Miniflare: the ES module plus the files the config's Text rules emitted
 * beside it (the dashboard's chart script and stylesheet), so the rules have nothing left to match.
 */
export function bundleModules(script) {
  const dir = dirname(script);
  const texts = readdirSync(dir).filter((f) => /^[0-9a-f]{40}-/.test(f));
  return {
    modulesRoot: dir,
    modules: [{ type: "ESModule", path: script }, ...texts.map((f) => ({ type: "Text", path: join(dir, f) }))],
  };
}

export async function startApp({ script, persistTo, log, inspectorPort, vars }) {
  const { modulesRules: _, ...options } = appOptions();
  const worker = {
    ...options,
    name: "clicktrail",
    bindings: { ...options.bindings, ...vars },
    ...bundleModules(script),
  };
  return start("app", { resourcePersistencePath: persistTo, inspectorPort, workers: [worker] }, log);
}

/** A worker of the bench's own (one ES module) with the app's compatibility date and flags. */
function benchWorker(name, script, bindings = {}) {
  const { compatibilityDate, compatibilityFlags } = appOptions();
  return {
    name,
    compatibilityDate,
    compatibilityFlags,
    modulesRoot: dirname(script),
    modules: [{ type: "ESModule", path: script }],
    ...bindings,
  };
}

/** The bare worker: no bindings. */
export async function startBare({ log }) {
  return start("bare", { workers: [benchWorker("bare", join(root, "bench", "bare", "worker.js"))] }, log);
}

/**
 * The postback's floor (bench/floor/worker.js): 16 SQLite Durable Objects and a D1 database,
 * stored on disk like the app's.
 */
export async function startFloor({ persistTo, log }) {
  const worker = benchWorker("floor", join(root, "bench", "floor", "worker.js"), {
    durableObjects: { SHARDS: { className: "FloorShard", useSQLite: true } },
    d1Databases: { DB: "floor" },
  });
  const floor = await start("floor", { resourcePersistencePath: persistTo, workers: [worker] }, log);
  const db = await floor.mf.getD1Database("DB");
  await db.exec("CREATE TABLE floor_conversions (dedupe_key TEXT PRIMARY KEY) WITHOUT ROWID");
  return floor;
}

function appOptions() {
  return unstable_getMiniflareWorkerOptions(wranglerConfig()).workerOptions;
}

async function start(name, options, log) {
  const before = new Set(workerdPids());
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      cf: false, // offline: the placeholder request.cf, as wrangler dev gives without network
      logRequests: false,
      log: new Log(LogLevel.WARN),
      // The worker's console output, one JSON line each, for the run's error count.
      handleStructuredLogs: (entry) => appendFileSync(log, `${JSON.stringify(entry)}\n`),
      ...options,
    }),
  );
  const url = await mf.ready;
  const pid = workerdPids().find((p) => !before.has(p));
  if (!pid) throw new Error(`${name}: cannot find its workerd process`);
  return { name, mf, pid, url: url.origin };
}

export async function stop(server) {
  await server?.mf.dispose();
}

/** Applies migrations/*.sql to the app's D1, in order, each file as one batch. */
export async function applyMigrations(mf) {
  const db = await mf.getD1Database("DB");
  const dir = join(root, "migrations");
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    const statements = unstable_splitSqlQuery(readFileSync(join(dir, file), "utf8"));
    await db.batch(statements.map((sql) => db.prepare(sql)));
  }
}

/** workerd processes started by this Node process (Miniflare spawns one per instance). */
function workerdPids() {
  return procs()
    .filter((p) => p.ppid === process.pid && p.comm.startsWith("workerd"))
    .map((p) => p.pid);
}

function procs() {
  const out = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (stat) out.push({ pid: Number(entry), ...stat });
  }
  return out;
}

/** Fields of /proc/<pid>/stat after the parenthesised command name (state is [0]). */
function procStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return {
      comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
      ppid: Number(rest[1]),
      utime: Number(rest[11]),
      stime: Number(rest[12]),
    };
  } catch {
    return null;
  }
}

const TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** CPU time (user + system, all threads) the process has used so far, in milliseconds. */
export function cpuMs(pid) {
  const stat = procStat(pid);
  if (!stat) throw new Error(`process ${pid} is gone`);
  return ((stat.utime + stat.stime) * 1000) / TICKS_PER_SECOND;
}

/** A round's CPU is counted until its server has been quiet this long (settleCpu). */
export const QUIET_MS = 1_200;

/**
 * Waits until the process has used at most one clock tick of CPU in each 100 ms sample for
 * `quietMs` in a row (its timers, queue consumers and deferred writes done), at most `maxMs`;
 * returns its CPU time (as cpuMs) at the start of that quiet stretch. quietMs must outlast the
 * longest timer the app waits on (the visit queue's one-second batch timeout).
 */
export async function settleCpu(pid, { quietMs = QUIET_MS, maxMs = 10_000 } = {}) {
  const tick = 1000 / TICKS_PER_SECOND;
  const deadline = Date.now() + maxMs;
  let last = cpuMs(pid);
  let quietSince = last;
  let quietFor = 0;
  while (quietFor < quietMs && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const now = cpuMs(pid);
    if (now - last <= tick) quietFor += 100;
    else {
      quietFor = 0;
      quietSince = now;
    }
    last = now;
  }
  return quietSince;
}

/** Resident memory of one process, in bytes. */
export function rss(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Samples rss(pid) every intervalMs until stopped; returns the peak. */
export function rssSampler(pid, intervalMs = 50) {
  let peak = rss(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rss(pid))), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rss(pid));
    },
  };
}
