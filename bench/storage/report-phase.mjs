// 30-day reports at 1 million and 100 million visits, seeded straight into the rollup tables;
// drill-downs over raw visits: a week at 1 million visits a day, a day at 10 million.
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { applyMigrations } from "../lib/servers.mjs";
import { seedRawVisits } from "./drill-seed.mjs";
import { MODEL, prng, zipf } from "./model.mjs";
import { api, d1File, setupCampaigns, start } from "./server.mjs";

const DAY = 86_400_000;
const Q = 900_000;
const OFFERS = 2;
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Runs `fn` against a server whose D1 was migrated, given campaigns, then seeded by `seed(db, ids)`. */
export async function seeded(script, seed, fn) {
  const persistTo = mkdtempSync(join(tmpdir(), "ct-bench-report-"));
  try {
    let server = await start({ script, persistTo });
    await applyMigrations(server.mf);
    const ids = await setupCampaigns(server.url, MODEL.campaigns);
    await server.mf.dispose();
    const db = new DatabaseSync(d1File(persistTo));
    db.exec("BEGIN");
    seed(db, ids);
    db.exec("COMMIT");
    db.close();
    server = await start({ script, persistTo });
    try {
      return await fn(server.url);
    } finally {
      await server.mf.dispose();
    }
  } finally {
    rmSync(persistTo, { recursive: true, force: true });
  }
}

/** Median of `runs` timings of GET path (after one warm-up), in ms, and the answer's engine. */
export async function timed(url, path, runs) {
  const times = [];
  let body;
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    body = await api(url, path);
    if (i > 0) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    ms: Number(times[Math.floor(times.length / 2)].toFixed(1)),
    rows: body.rows.length,
    engine: body.engine,
    visits: body.totals.visits,
    conversions: body.totals.conversions,
  };
}

/**
 * The rollup rows `visits` visits over the last `days` days leave for the entity dimension and
 * two attributes (country, var1: the rows these reports read; the other 21 dimensions' rows sit
 * in other key ranges of the same tables). Daily rows for every day, and their 2–32-day spans; quarter-hour rows for the
 * first and last day of the range (what a report in a zone off UTC reads) and for the unfolded
 * last hour; the visits of the last 10 minutes (not aggregated yet) as raw rows.
 */
export function seedRollups(db, { campaigns, offers }, visits, days, now) {
  const rnd = prng(7);
  const pc = zipf(MODEL.campaigns).probs;
  const pz = zipf(MODEL.zonesPerCampaign).probs;
  const pk = zipf(MODEL.countries).probs;
  const dimsUntil = Math.floor((now - 10 * 60_000) / 1000) * 1000;
  const folded = Math.floor((now - 3_600_000) / Q);
  const firstDay = Math.floor(now / DAY) - days + 1;
  const zoneIds = [];
  const dict = db.prepare("INSERT INTO dict (id, value) VALUES (?, ?)");
  let nextId = 1;
  for (let c = 0; c < MODEL.campaigns; c++) {
    zoneIds.push([]);
    for (let z = 0; z < MODEL.zonesPerCampaign; z++) {
      dict.run(nextId, `zone${c}-${z}`);
      zoneIds[c].push(nextId++);
    }
  }
  const countryIds = [];
  for (let k = 0; k < MODEL.countries; k++) {
    dict.run(nextId, `C${k}`);
    countryIds.push(nextId++);
  }
  const insert = (table) =>
    db.prepare(`INSERT INTO ${table} (dim, bucket, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value,
      visits, cost_micros, conversions, revenue_micros) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?)`);
  const rows = { rollup_q: insert("rollup_q"), rollup_d: insert("rollup_d") };
  const count = (e) => Math.floor(e + rnd());
  // One time bucket: entity rows, then 95% of visits with a var1 and 90% with a country.
  const bucket = (table, b, perBucket, dimsToo) => {
    for (let c = 0; c < MODEL.campaigns; c++) {
      for (let o = 0; o < OFFERS; o++) {
        const e = (perBucket * pc[c]) / OFFERS;
        const n = count(e);
        if (n === 0) continue;
        const conv = count(n * 0.02);
        const key = [b, campaigns[c], (c % 5) + 1, offers[o]];
        rows[table].run(0, ...key, 0, n, n * 10_000, conv, conv * 2_500_000);
        if (!dimsToo) continue;
        for (let z = 0; z < MODEL.zonesPerCampaign; z++) {
          const m = count(e * 0.95 * pz[z]);
          if (m > 0) rows[table].run(15, ...key, zoneIds[c][z], m, m * 10_000, 0, 0);
        }
        for (let k = 0; k < MODEL.countries; k++) {
          const m = count(e * 0.9 * pk[k]);
          if (m > 0) rows[table].run(1, ...key, countryIds[k], m, m * 10_000, 0, 0);
        }
      }
    }
  };
  const perDay = visits / days;
  const perQuarter = perDay / 96;
  for (let d = firstDay; d <= Math.floor(now / DAY); d++) {
    if (d * 96 < folded)
      bucket("rollup_d", d, d < Math.floor(now / DAY) ? perDay : perQuarter * (folded - d * 96), true);
    const edge = d === firstDay || d === firstDay + 1 || d >= Math.floor(now / DAY) - 1;
    for (let q = d * 96; q < (d + 1) * 96 && q * Q < now; q++) {
      // Quarters before the fold are also in rollup_d: seeded only where reports read them.
      if (q < folded && !edge) continue;
      bucket("rollup_q", q, perQuarter, q * Q < dimsUntil);
    }
  }
  // The last 10 minutes: raw visits, read by reports until the cron aggregates them.
  const raw = db.prepare(
    "INSERT INTO raw_visits (created_at, click_id, campaign_id, traffic_source_id, offer_id, cost_micros, bot, country, var1) VALUES (?, ?, ?, ?, ?, 10000, 0, ?, ?)",
  );
  const campaignDraw = zipf(MODEL.campaigns);
  const zoneDraw = zipf(MODEL.zonesPerCampaign);
  const countryDraw = zipf(MODEL.countries);
  const tail = Math.round((perDay * (now - dimsUntil)) / DAY);
  for (let i = 0; i < tail; i++) {
    const c = campaignDraw.draw(rnd());
    raw.run(
      dimsUntil + Math.floor((i * (now - dimsUntil)) / tail),
      `tail${i}`.padEnd(32, "t"),
      campaigns[c],
      (c % 5) + 1,
      offers[i % OFFERS],
      countryIds[countryDraw.draw(rnd())],
      zoneIds[c][zoneDraw.draw(rnd())],
    );
  }
  // Whole days into the 2–32-day spans, as the cron's foldClosedDays does (src/visits/rollup-sql.ts).
  const levelsUntil = Math.floor(folded / 96);
  db.prepare(`INSERT INTO rollup_l SELECT dim, (lv.column1 << 20) + (bucket >> lv.column1), campaign_id, traffic_source_id,
      offer_id, lander_id, path_id, value, sum(visits), sum(clicks), sum(cost_micros), sum(conversions), sum(revenue_micros),
      sum(pending), sum(pending_revenue_micros)
    FROM rollup_d CROSS JOIN (VALUES (1), (2), (3), (4), (5)) lv WHERE bucket < ? GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`).run(
    levelsUntil,
  );
  db.prepare("UPDATE rollup_state SET compacted_until = ?, dims_until = ?, levels_until = ? WHERE id = 1").run(
    folded,
    dimsUntil,
    levelsUntil,
  );
  return { firstDay };
}

export async function reportTimes(script, { scales = [1_000_000, 100_000_000], days = 30, runs = 7 } = {}) {
  const out = [];
  const now = Date.now();
  for (const visits of scales) {
    const t = Date.now();
    let seedSeconds = 0;
    await seeded(
      script,
      (db, ids) => {
        seedRollups(db, ids, visits, days, now);
        seedSeconds = (Date.now() - t) / 1000;
      },
      async (url) => {
        const range = `from=${day(now - (days - 1) * DAY)}&to=${day(now)}`;
        for (const tz of ["UTC", "Asia/Kolkata"]) {
          for (const groupBy of ["campaign", "var1"]) {
            const r = await timed(url, `/api/report?${range}&tz=${tz}&groupBy=${groupBy}`, runs);
            out.push({ visits, days, tz, groupBy, ...r, seedSeconds: Math.round(seedSeconds) });
          }
        }
      },
    );
  }
  return out;
}

/**
 * Drill-downs with two attribute filters (raw visits), grouped by var2: for each seed of `perDay`
 * visits a day over `days` days, the last day alone and the whole range. `expected` is what the
 * seed put in (visits matching both filters), `visits` what the report counted.
 */
export async function drillDownTimes(
  script,
  {
    seeds = [
      { perDay: 1_000_000, days: 7 },
      { perDay: 10_000_000, days: 1 },
    ],
    runs = 5,
  } = {},
) {
  const out = [];
  const today = Math.floor(Date.now() / DAY);
  for (const { perDay, days } of seeds) {
    const firstDay = today - days;
    let seed;
    const t = Date.now();
    await seeded(
      script,
      (db, ids) => {
        seed = seedRawVisits(db, ids, { perDay, days, firstDay });
        db.prepare("UPDATE rollup_state SET dims_until = ? WHERE id = 1").run(today * DAY);
      },
      async (url) => {
        const seedSeconds = Math.round((Date.now() - t) / 1000);
        const filters = `groupBy=var2&country=${seed.country}&device=${seed.device}`;
        for (const n of days > 1 ? [1, days] : [1]) {
          const range = `from=${day((today - n) * DAY)}&to=${day((today - 1) * DAY)}`;
          const r = await timed(url, `/api/report?${range}&${filters}`, runs);
          const parts = await breakdown(url, { start: (today - n) * DAY, end: today * DAY, ...seed });
          const expected = seed.matching.slice(-n).reduce((a, b) => a + b, 0);
          const conversions = seed.converted.slice(-n).reduce((a, b) => a + b, 0);
          out.push({
            visitsADay: perDay,
            days: n,
            visitsRead: perDay * n,
            ms: r.ms,
            goalMs: 2000,
            visits: r.visits,
            expected,
            conversions: r.conversions,
            expectedConversions: conversions,
            rows: r.rows,
            engine: r.engine,
            ...parts,
            load1: Number(loadavg()[0].toFixed(2)),
            seedSeconds,
          });
          if (r.visits !== expected || r.conversions !== conversions)
            throw new Error(
              `drill-down counted ${r.visits} visits, ${r.conversions} conversions; seeded ${expected}, ${conversions}`,
            );
        }
      },
    );
  }
  return out;
}

/** Each statement of the drill-down alone, timed inside the worker: median ms of 3 and D1 rows read per source. */
async function breakdown(url, { start, end, attributes }) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${url}/__bench/raw-read`, {
      method: "POST",
      body: JSON.stringify({ start, end, attributes, groupBy: "var2" }),
    });
    if (!res.ok) throw new Error(`raw-read: ${res.status} ${await res.text()}`);
    runs.push(await res.json());
  }
  const out = {};
  for (const [i, s] of runs[0].entries()) {
    out[`${s.source}Ms`] = runs.map((r) => r[i].ms).sort((a, b) => a - b)[1];
    out[`${s.source}RowsRead`] = s.rowsRead;
  }
  return out;
}
