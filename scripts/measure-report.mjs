#!/usr/bin/env node
// `npm run measure:report [-- --persist-to DIR --port 8796 --runs 7]`: times GET /api/report and
// GET /api/conversions over the seed (1,000,000 visits, 100,000 conversions; seeded first when
// DIR holds no seed) against a local `wrangler dev`, and prints the query plans of the real
// statements (bundled from src/ with the esbuild that wrangler ships).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { d1Execute, SEED_DEFAULTS, seed } from "./seed.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = Object.fromEntries(
  process.argv.slice(2).flatMap((a, i, all) => (a.startsWith("--") ? [[a.slice(2), all[i + 1]]] : [])),
);
const persistTo = args["persist-to"] ?? join(os.tmpdir(), "clicktrail-report-measure");
const port = Number(args.port ?? 8796);
const runs = Number(args.runs ?? 7);

const DAY = "2026-10-15"; // inside the seeded 30 days
const RANGES = {
  "1 day": { from: DAY, to: DAY },
  "7 days": { from: "2026-10-09", to: DAY },
  "30 days": { from: "2026-10-02", to: "2026-10-31" },
};
const GROUP_BY = ["campaign", "offer", "day", "country", "conversionType"];

function seededVisits() {
  try {
    const out = JSON.parse(
      d1Execute(["--json", "--command", "SELECT count(*) AS n FROM visits WHERE click_id LIKE 'seed%'"], persistTo, {
        capture: true,
      }),
    );
    return out[0].results[0].n;
  } catch {
    return 0; // no database yet
  }
}

/** The SQL of the report and list statements, from the same source the worker runs. */
async function statements() {
  const { build } = await import("esbuild");
  const dir = mkdtempSync(join(os.tmpdir(), "clicktrail-plan-"));
  try {
    const out = join(dir, "plan.mjs");
    await build({
      stdin: {
        contents: `export { reportStatements } from "./src/reports/queries";
          export { listStatement } from "./src/conversions/queries";
          export { dayStart, parseDay } from "./src/lib/timezone";
          export { getDb } from "./src/lib/db";
          export { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";`,
        resolveDir: root,
        loader: "ts",
      },
      bundle: true,
      format: "esm",
      platform: "node",
      outfile: out,
      logLevel: "error",
    });
    const m = await import(pathToFileURL(out).href);
    const dialect = new m.SQLiteSyncDialect();
    const db = m.getDb({});
    const inline = (s) => {
      const { sql, params } = dialect.sqlToQuery(s);
      let k = 0;
      return sql.replace(/\?/g, () => {
        const p = params[k++];
        return typeof p === "number" ? String(p) : `'${String(p).replace(/'/g, "''")}'`;
      });
    };
    const tz = "Europe/Warsaw";
    const range = {
      tz,
      from: DAY,
      to: DAY,
      start: m.dayStart(tz, m.parseDay(DAY)),
      end: m.dayStart(tz, m.parseDay(DAY) + 1),
    };
    const list = [];
    for (const groupBy of GROUP_BY) {
      const s = m.reportStatements({ range, groupBy });
      list.push(
        [`report ${groupBy}: visits`, inline(s.visits)],
        [`report ${groupBy}: conversions`, inline(s.conversions)],
      );
    }
    list.push(["conversions list, first page", inline(m.listStatement(db, { range, limit: 100 }).getSQL())]);
    list.push([
      "conversions list, later page",
      inline(m.listStatement(db, { range, limit: 100, after: { time: range.end - 3_600_000, id: "x" } }).getSQL()),
    ]);
    return list;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printPlans(list) {
  const out = JSON.parse(
    d1Execute(
      ["--json", "--command", list.map(([, sql]) => `EXPLAIN QUERY PLAN ${sql.replace(/\s+/g, " ")}`).join(";\n")],
      persistTo,
      { capture: true },
    ),
  );
  console.log(`\nQuery plans for one day (${DAY}, Europe/Warsaw):`);
  for (const [i, [name]] of list.entries()) {
    console.log(`  ${name}\n${out[i].results.map((r) => `    ${r.detail}`).join("\n")}`);
  }
}

async function startDev(token) {
  const wrangler = join(root, "node_modules", ".bin", "wrangler");
  const child = spawn(
    wrangler,
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      persistTo,
      "--var",
      `ADMIN_TOKEN:${token}`,
      "--var",
      "CLICKID_SECRET:measure",
      "--show-interactive-dev-session=false",
      "--log-level",
      "warn",
    ],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
    },
  );
  let exited = false;
  child.on("exit", () => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`wrangler dev exited; is port ${port} taken? (--port 8797)`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/report`, { headers: { Authorization: `Bearer ${token}` } });
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`wrangler dev did not answer on port ${port}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function time(url, token) {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  const body = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${body}`);
  return { ms: performance.now() - t0, body };
}

async function measure(token) {
  const base = `http://127.0.0.1:${port}/api`;
  const cases = [];
  for (const [label, r] of Object.entries(RANGES)) {
    for (const groupBy of GROUP_BY)
      cases.push([
        `report ${label.padEnd(7)} ${groupBy}`,
        `${base}/report?from=${r.from}&to=${r.to}&tz=Europe/Warsaw&groupBy=${groupBy}`,
      ]);
  }
  cases.push([`list 1 day, 100 rows`, `${base}/conversions?from=${DAY}&to=${DAY}&limit=100`]);
  cases.push([`CSV 1 day, all rows`, `${base}/conversions?from=${DAY}&to=${DAY}&format=csv`]);
  console.log(`\nGET timings over ${runs} runs after one warm-up (ms):`);
  console.log(`  ${"case".padEnd(36)} ${"median".padStart(7)} ${"max".padStart(7)}  detail`);
  for (const [name, url] of cases) {
    const first = await time(url, token);
    const ms = [];
    for (let i = 0; i < runs; i++) ms.push((await time(url, token)).ms);
    ms.sort((a, b) => a - b);
    const detail = url.includes("format=csv")
      ? `${first.body.split("\r\n").length - 2} rows`
      : describe(JSON.parse(first.body));
    console.log(
      `  ${name.padEnd(36)} ${ms[Math.floor(ms.length / 2)].toFixed(1).padStart(7)} ${ms.at(-1).toFixed(1).padStart(7)}  ${detail}`,
    );
  }
}

function describe(body) {
  if (body.totals)
    return `${body.rows.length} rows, ${body.totals.visits} visits, ${body.totals.conversions} conversions`;
  return `${body.conversions.length} rows`;
}

if (seededVisits() < SEED_DEFAULTS.visits) {
  console.log(`Seeding ${persistTo} …`);
  const s = await seed({ persistTo });
  console.log(`Seeded in ${s.seconds.toFixed(1)} s`);
}
console.log(
  `Machine: ${os.cpus()[0]?.model} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()}`,
);
printPlans(await statements());
const token = randomBytes(18).toString("base64url");
const dev = await startDev(token);
try {
  await measure(token);
} finally {
  dev.kill("SIGTERM");
}
