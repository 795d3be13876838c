import { env } from "cloudflare:workers";
import { type SQL, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listStatement } from "../src/features/conversions/queries";
import { getDb } from "../src/lib/db";
import { dayStart, parseDay } from "../src/lib/timezone";
import { reportStatements } from "../src/reports/queries";
import { GROUP_BY } from "../src/reports/types";

const db = getDb(env.DB);
const plan = async (statement: SQL) =>
  (await db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${statement}`)).map((r) => r.detail);

const tz = "Europe/Warsaw";
const range = {
  tz,
  from: "2026-03-29",
  to: "2026-03-29",
  start: dayStart(tz, parseDay("2026-03-29")!),
  end: dayStart(tz, parseDay("2026-03-30")!),
};

describe("query plans for a one-day range", () => {
  it.each(GROUP_BY)("groupBy=%s reads visits and conversions through an index, no full scan", async (groupBy) => {
    for (const campaignId of [undefined, 1]) {
      const s = reportStatements({ range, groupBy, campaignId });
      for (const statement of [s.visits, s.conversions]) {
        const detail = await plan(statement);
        expect(detail.filter((d) => /^SCAN (visits|conversions|v|c)\b/.test(d))).toEqual([]);
        // Index-only for visits always, and for conversions unless their visit's country is needed.
        const covering = statement === s.visits || groupBy !== "country";
        expect(
          detail.some((d) => new RegExp(`^SEARCH (v|c) USING ${covering ? "COVERING " : ""}INDEX`).test(d)),
          detail.join("\n"),
        ).toBe(true);
      }
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
