// The report over the reports issue's seed (scripts/seed.mjs), timed through GET /api/report.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { median } from "./load.mjs";
import { root } from "./servers.mjs";

const GROUP_BY = ["campaign", "offer", "day", "country", "conversionType"];
const DAY_MS = 86_400_000;

/** Writes the reports' seed (scripts/seed.mjs's SQL) into the running app's D1, statement by statement. */
export async function seedStorage(mf, options) {
  const file = join(root, "scripts", "seed.mjs");
  if (!existsSync(file)) throw new Error("scripts/seed.mjs (the reports issue's seed) not available");
  const { seedSql, SEED_DEFAULTS } = await import(pathToFileURL(file).href);
  // Whole UTC days (the report phase asks for them), the last 30 before today.
  const o = { ...SEED_DEFAULTS, end: new Date().toISOString().slice(0, 10), ...options };
  const db = await mf.getD1Database("DB");
  const started = performance.now();
  for (const sql of seedSql(o)) await db.prepare(sql).run();
  return { ...o, seconds: (performance.now() - started) / 1000 };
}

/** Median wall time of GET /api/report over the whole seeded period, per groupBy. */
export async function timeReports(api, seeded, runs) {
  const end = Date.parse(`${seeded.end}T00:00:00Z`);
  const from = new Date(end - seeded.days * DAY_MS).toISOString().slice(0, 10);
  const to = new Date(end - DAY_MS).toISOString().slice(0, 10);
  const byGroup = {};
  const read = {};
  for (const groupBy of GROUP_BY) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const answer = await api.call("GET", `/api/report?from=${from}&to=${to}&groupBy=${groupBy}`);
      times.push(performance.now() - started);
      const { visits, conversions, revenue } = answer.totals;
      read[groupBy] = { visits, conversions, revenueMicros: Math.round(revenue * 1e6) };
    }
    byGroup[groupBy] = median(times);
  }
  // What the report read must be what the seed wrote, whatever the grouping.
  const expected = seededTotals(seeded);
  const mismatched = Object.entries(read)
    .filter(([, t]) => JSON.stringify(t) !== JSON.stringify(expected))
    .map(([groupBy]) => groupBy);
  return {
    seeded: { visits: seeded.visits, conversions: seeded.conversions, seconds: seeded.seconds },
    range: { from, to },
    runs,
    medianMs: byGroup,
    slowestMs: Math.max(...Object.values(byGroup)),
    expected,
    read,
    mismatched,
  };
}

/**
 * The totals scripts/seed.mjs's rows add up to: every visit; conversions of its included types
 * (one in ten is of an excluded type); every payout, excluded types' too.
 */
function seededTotals(seeded) {
  let conversions = 0;
  let revenueMicros = 0;
  for (let i = 0; i < seeded.conversions; i++) {
    if (i % 10 !== 0) conversions++;
    revenueMicros += i % 50 === 49 ? -500_000 : 10_000 * (1 + (i % 500));
  }
  return { visits: seeded.visits, conversions, revenueMicros };
}
