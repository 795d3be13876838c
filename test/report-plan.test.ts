import { env } from "cloudflare:workers";
import { type SQL, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listStatement } from "../src/features/conversions/queries";
import { getDb } from "../src/lib/db";
import { dayStart, parseDay } from "../src/lib/timezone";
import { RawReader } from "../src/reports/raw-read";
import { type GroupKey, RollupReader } from "../src/reports/rollup-read";

const db = getDb(env.DB);
const plan = async (statement: SQL) =>
  (await db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${statement}`)).map((r) => r.detail);

const tz = "Europe/Warsaw";
const range = {
  tz,
  from: "2026-03-01",
  to: "2026-03-30",
  start: dayStart(tz, parseDay("2026-03-01")!),
  end: dayStart(tz, parseDay("2026-03-31")!),
};

describe("query plans of a 30-day report", () => {
  const keys: GroupKey[] = [
    { by: "column", column: "campaign_id" },
    { by: "column", column: "value" },
    { by: "day" },
    { by: "hour" },
  ];
  it.each(keys)("rollups grouped by %o: a primary-key range per table, no full scan", async (key) => {
    // Folded up to the middle of the range: spans from rollup_l, days from rollup_d, the rest
    // from rollup_q.
    const folded = Math.floor(Date.parse("2026-03-20T00:00:00Z") / 900_000);
    const reader = new RollupReader(env.DB, range, folded, 0, parseDay("2026-03-19")!);
    for (const entities of [[], [{ column: "campaign_id", id: 1 }]]) {
      for (const statement of reader.statements({ entities, dim: { code: 15, value: 3 } }, key)) {
        const detail = await plan(sql.raw(statement));
        expect(detail.filter((d) => /^SCAN rollup/.test(d))).toEqual([]);
        // Every rollup read is a primary-key range over dim and bucket, never a whole dimension.
        const reads = detail.filter((d) => /^SEARCH rollup_/.test(d));
        expect(reads.length, detail.join("\n")).toBeGreaterThan(0);
        for (const r of reads) expect(r).toMatch(/USING PRIMARY KEY \(dim=\? AND bucket>\? AND bucket<\?\)/);
      }
    }
  });

  it("drill-downs over raw visits read the range by primary key and seek each click's visit", async () => {
    const reader = new RawReader(env.DB, range);
    const statements = reader.statements(
      {
        entities: [{ name: "campaign", id: 1 }],
        attributes: [
          { column: "country", value: 1 },
          { column: "var1", value: 2 },
        ],
      },
      { by: "attribute", column: "var2" },
    );
    for (const statement of statements) {
      const detail = await plan(sql.raw(statement));
      expect(
        detail.filter((d) => /^SCAN (v|lc|e|raw_visits)\b/.test(d)),
        detail.join("\n"),
      ).toEqual([]);
      expect(
        detail.some((d) => /^SEARCH (v|lc|e) USING (PRIMARY KEY|INDEX conversion_events_at_idx)/.test(d)),
        detail.join("\n"),
      ).toBe(true);
    }
  });
});

describe("query plan of the conversions list", () => {
  it("walks an index in (conversion_time, id) order: no full scan and no sort", async () => {
    for (const q of [
      {},
      { campaignId: 1 },
      { after: { time: range.end - 1, id: "x" } },
      { campaignId: 1, after: { time: range.end - 1, id: "x" } },
    ]) {
      const detail = await plan(listStatement(db, { range, limit: 100, ...q }).getSQL());
      expect(detail.filter((d) => /^SCAN conversions\b/.test(d) || /TEMP B-TREE/.test(d))).toEqual([]);
    }
  });
});
