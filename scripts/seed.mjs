#!/usr/bin/env node
// `npm run seed [-- --persist-to DIR --visits N --conversions N]`: fills a local D1 with report
// data (by default 1,000,000 visits and 100,000 conversions over the 30 days up to now, so the
// dashboard and the default report fill; --end YYYY-MM-DD seeds the days before that one instead).
// Rows are generated inside SQLite by recursive CTEs, so nothing large crosses the process
// boundary; a rerun first deletes the rows an earlier seed wrote (click IDs starting "seed").
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "./start.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wrangler = join(root, "node_modules", ".bin", "wrangler");
const DAY_MS = 86_400_000;

export const SEED_DEFAULTS = {
  persistTo: undefined, // undefined = wrangler's default, .wrangler/state
  visits: 1_000_000,
  conversions: 100_000,
  days: 30,
  end: undefined, // exclusive, UTC midnight: the seed covers [end - days, end); undefined = [now - days, now)
  campaigns: 20,
  offers: 10,
  idBase: 1000, // seeded offers, campaigns and types get ids idBase+1 … so they rarely meet real ones
};

const COUNTRIES = ["US", "PL", "DE", "GB", "IN", "BR", "FR", "CA", "AU", null];

/** The SQL that writes the seed, as statements of bounded size. */
export function seedSql(options = {}) {
  const o = { ...SEED_DEFAULTS, ...options };
  const end = o.end ? Date.parse(`${o.end}T00:00:00Z`) : Date.now();
  const start = end - o.days * DAY_MS;
  const span = end - start;
  const now = Date.now();
  const b = o.idBase;
  const countryCase = `CASE (i * 31) % ${COUNTRIES.length} ${COUNTRIES.map((c, k) => `WHEN ${k} THEN ${c ? `'${c}'` : "NULL"}`).join(" ")} END`;
  const statements = [
    "DELETE FROM conversions WHERE click_id LIKE 'seed%'",
    "DELETE FROM visits WHERE click_id LIKE 'seed%'",
    ...range(o.offers).map(
      (
        k,
      ) => `INSERT OR REPLACE INTO offers (id, name, url, payout_mode, payout_micros, archived, created_at, updated_at)
        VALUES (${b + k}, 'Seed offer ${k}', 'https://offer.example/${k}?cid={clickid}', 'auto', 0, 0, ${now}, ${now})`,
    ),
    // Every third campaign has no click cost; the others 0.01, 0.02, … per click.
    ...range(o.campaigns).map(
      (k) => `INSERT OR REPLACE INTO campaigns (id, name, cost_model, archived, created_at, updated_at)
        VALUES (${b + k}, 'Seed campaign ${k}', ${k % 3 === 0 ? "NULL" : `'{"type":"cpc","amountMicros":${(k % 5) * 10_000 + 10_000}}'`}, 0, ${now}, ${now})`,
    ),
    `INSERT OR REPLACE INTO conversion_types (id, name, include_in_conversions, archived, created_at, updated_at)
      VALUES (${b + 1}, 'seed_install', 0, 0, ${now}, ${now}), (${b + 2}, 'seed_sale', 1, 0, ${now}, ${now})`,
  ];
  // Visits in chunks of 100,000 rows, spread evenly over the period in time order.
  const chunk = 100_000;
  for (let from = 0; from < o.visits; from += chunk) {
    const to = Math.min(from + chunk, o.visits) - 1;
    statements.push(`WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${to})
      INSERT INTO visits (click_id, campaign_id, offer_id, created_at, country, params, cost_micros)
      SELECT printf('seed%028d', i), ${b + 1} + (i * 7919) % ${o.campaigns}, ${b + 1} + (i * 104729) % ${o.offers},
        ${start} + (i * ${span}) / ${o.visits}, ${countryCase}, '{}',
        CASE (${1} + (i * 7919) % ${o.campaigns}) % 3 WHEN 0 THEN 0 ELSE ((${1} + (i * 7919) % ${o.campaigns}) % 5) * 10000 + 10000 END
      FROM n`);
  }
  // Conversions on one visit in each run of (visits / conversions), 1-30 minutes after it; one in ten of
  // an excluded type, one in ten of an included custom type, one in fifty a negative correction.
  const step = Math.max(1, Math.floor(o.visits / o.conversions));
  for (let from = 0; from < o.conversions; from += chunk) {
    const to = Math.min(from + chunk, o.conversions) - 1;
    statements.push(`WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${to})
      INSERT INTO conversions (id, click_id, campaign_id, offer_id, type_id, txid, dedupe_key, payout_micros, conversion_time, received_at, source)
      SELECT printf('seedconv%012d', i), v.click_id, v.campaign_id, v.offer_id,
        CASE i % 10 WHEN 0 THEN ${b + 1} WHEN 1 THEN ${b + 2} ELSE NULL END, NULL,
        v.click_id || '|' || CASE i % 10 WHEN 0 THEN ${b + 1} WHEN 1 THEN ${b + 2} ELSE '' END || '|',
        CASE WHEN i % 50 = 49 THEN -500000 ELSE 10000 * (1 + i % 500) END,
        min(v.created_at + 60000 * (1 + i % 30), ${end - 1}), min(v.created_at + 60000 * (1 + i % 30), ${end - 1}),
        CASE i % 7 WHEN 0 THEN 'upload' ELSE 'postback' END
      FROM n JOIN visits v ON v.click_id = printf('seed%028d', (i * ${step} + (i / ${step}) % ${step}) % ${o.visits})`);
  }
  // The rows above have the previous release's shape: the data migration moves them into raw
  // visits, conversion events and the rollups. A rerun on the same storage adds its visits to
  // the rollups a second time: seed a fresh --persist-to (the bench does).
  statements.push(...backfillStatements());
  statements.push("ANALYZE");
  return statements;
}

function backfillStatements() {
  const sql = readFileSync(join(root, "migrations", "0004_backfill_storage.sql"), "utf8");
  return sql
    .split("--> statement-breakpoint")
    .map((stmt) =>
      stmt
        .replace(/^\s*--.*$/gm, "")
        .trim()
        .replace(/;$/, ""),
    )
    .filter(Boolean);
}

function range(n) {
  return Array.from({ length: n }, (_, k) => k + 1);
}

export function d1Execute(args, persistTo, opts = {}) {
  const persist = persistTo ? ["--persist-to", persistTo] : [];
  const result = spawnSync(wrangler, ["d1", "execute", "DB", "--local", ...persist, ...args], {
    cwd: root,
    encoding: "utf8",
    stdio: opts.capture ? "pipe" : "inherit",
    // node_modules/.bin first: wrangler needs the Node 24 installed there, as under npm scripts.
    env: {
      ...process.env,
      PATH: `${join(root, "node_modules", ".bin")}:${process.env.PATH}`,
      CI: "true",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_SEND_METRICS: "false",
    },
  });
  if (result.status !== 0) throw new Error(`wrangler d1 execute failed: ${result.stderr ?? ""}`);
  return result.stdout;
}

/** Applies the migrations and writes the seed; returns the options used and the time it took. */
export async function seed(options = {}) {
  const o = { ...SEED_DEFAULTS, ...options };
  const t0 = Date.now();
  applyMigrations(o.persistTo ? ["--persist-to", o.persistTo] : []);
  const dir = mkdtempSync(join(tmpdir(), "clicktrail-seed-"));
  try {
    const file = join(dir, "seed.sql");
    writeFileSync(file, seedSql(o).join(";\n") + ";\n");
    d1Execute(["--file", file], o.persistTo, { capture: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ...o, seconds: (Date.now() - t0) / 1000 };
}

export function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, "").replace(/-(\w)/g, (_, ch) => ch.toUpperCase());
    const value = argv[i + 1];
    if (!key || value === undefined || !(key in SEED_DEFAULTS))
      throw new Error(`unknown or incomplete option ${argv[i]}`);
    out[key] = /^\d+$/.test(value) && key !== "end" ? Number(value) : value;
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await seed(parseArgs(process.argv.slice(2)));
  console.log(
    `Seeded ${result.visits} visits and ${result.conversions} conversions over the ${result.days} days before ${result.end ?? "now"}` +
      ` into ${result.persistTo ?? ".wrangler/state"} in ${result.seconds.toFixed(1)} s`,
  );
}
