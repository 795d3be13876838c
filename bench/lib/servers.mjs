// Starts and stops the two servers of a bench run and reads their memory from /proc.
import { spawn } from "node:child_process";
import { openSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const root = join(import.meta.dirname, "..", "..");
/** What bench/bare/worker.js answers, so readiness can tell it from anything else on the port. */
export const BARE_LOCATION = "https://offer.example/lp";
const wrangler = join(root, "node_modules", ".bin", "wrangler");
// The same environment scripts/start.mjs gives wrangler.
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };

/** The app exactly as `npm start` runs it (scripts/start.mjs), on its own port and storage. */
export function startApp({ port, inspectorPort, persistTo, log }) {
  const args = ["--port", String(port), "--inspector-port", String(inspectorPort), "--persist-to", persistTo];
  // Bench mode: D1 statements counted, /__bench/* present (see src/bench/).
  args.push("--var", "BENCH_COUNT_D1:1");
  return launch("app", process.execPath, [join(root, "scripts", "start.mjs"), ...args], port, log);
}

/** The bare worker under the same wrangler and workerd. */
export function startBare({ port, inspectorPort, persistTo, log }) {
  const args = ["dev", "-c", join(root, "bench", "bare", "wrangler.jsonc"), "--ip", "127.0.0.1"];
  args.push("--port", String(port), "--inspector-port", String(inspectorPort), "--persist-to", persistTo);
  return launch("bare", wrangler, args, port, log);
}

function launch(name, command, args, port, log) {
  const out = openSync(log, "a");
  // Its own process group, so stop() ends wrangler and its workerd together and nothing else.
  const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ["ignore", out, out] });
  const server = { name, child, port, url: `http://127.0.0.1:${port}`, exited: false };
  child.on("exit", () => (server.exited = true));
  return server;
}

/** Waits until `probe` succeeds against the server (and the server process is still ours). */
export async function waitReady(server, probe, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (server.exited) throw new Error(`${server.name} server exited during start-up (see its log)`);
    try {
      await probe();
      await new Promise((r) => setTimeout(r, 500));
      if (server.exited) throw new Error(`${server.name} server exited during start-up (see its log)`);
      return;
    } catch (err) {
      last = err;
      if (server.exited) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${server.name} server not ready on ${server.url} within ${timeoutMs} ms: ${last?.message ?? last}`);
}

export async function stop(server) {
  if (server.exited) return;
  const exited = new Promise((r) => server.child.once("exit", r));
  try {
    process.kill(-server.child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-server.child.pid, "SIGKILL");
    } catch {}
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/** Resident memory (bytes) of the server's process tree, and of its workerd processes alone. */
export function treeRss(rootPid) {
  const parents = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command name: state, ppid, ...
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), {
        ppid: Number(rest[1]),
        comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
      });
    } catch {}
  }
  let total = 0;
  let workerd = 0;
  for (const [pid, info] of parents) {
    let p = pid;
    while (p && p !== rootPid) p = parents.get(p)?.ppid ?? 0;
    if (p !== rootPid) continue;
    const kb = rssKb(pid);
    total += kb * 1024;
    if (info.comm.startsWith("workerd")) workerd += kb * 1024;
  }
  return { total, workerd };
}

function rssKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Samples treeRss every intervalMs until stopped; returns the peaks. */
export function rssSampler(rootPid, intervalMs = 50) {
  const peak = { total: 0, workerd: 0 };
  const sample = () => {
    const now = treeRss(rootPid);
    peak.total = Math.max(peak.total, now.total);
    peak.workerd = Math.max(peak.workerd, now.workerd);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
