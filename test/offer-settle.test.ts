import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../src/lib/db";
import { dayStart, localDay, parseDay } from "../src/lib/timezone";
import { runReport } from "../src/reports/queries";
import { FILL_SETTLING, SETTLE_STATEMENTS, SETTLING } from "../src/visits/offer-settle";
import type { LanderClickRecord, VisitRecord } from "../src/visits/types";
import { encodeLanderClick, encodeVisit, newMessageId, type WireRow } from "../src/visits/wire";
import { writeVisitMessages } from "../src/visits/write";
import { visitRecord } from "./report-helpers";

/**
 * A lander visit moves to its first click's offer however its raw row is found (offer-settle.ts):
 * by its exact key when the visit comes in the same batch as its click, by one read of a busy
 * second shared by the batch's clicks, or by a seek into its second.
 */
const CAMPAIGN = 9101;
const LANDER = 31;
const [A, B] = [41, 42];
// On a whole second, an hour ago: every visit below sits in one of two seconds.
const SECOND = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;

const visit = (n: number, at: number): VisitRecord =>
  visitRecord({
    clickId: `settle${String(n).padStart(4, "0")}`.padEnd(32, "s"),
    createdAt: at,
    campaignId: CAMPAIGN,
    landerId: LANDER,
    pathId: 1,
    costMicros: 100_000,
  });
const click = (v: VisitRecord, offerId: number, after: number): LanderClickRecord => ({
  clickId: v.clickId,
  visitTime: Math.floor(v.createdAt / 1000) * 1000,
  createdAt: v.createdAt + after,
  campaignId: CAMPAIGN,
  landerId: LANDER,
  pathId: 1,
  offerId,
});
const message = (rows: string[]) => ({ id: newMessageId(), rows: rows.map((r) => JSON.parse(r) as WireRow) });
const write = (rows: string[]) => writeVisitMessages(env.DB, [message(rows)]);

async function byOffer() {
  const tz = "UTC";
  const from = localDay(tz, SECOND - 86_400_000);
  const to = localDay(tz, SECOND + 86_400_000);
  const range = { tz, from, to, start: dayStart(tz, parseDay(from)!), end: dayStart(tz, parseDay(to)! + 1) };
  const report = await runReport(getDb(env.DB), { range, groupBy: "offer", filters: { campaignId: CAMPAIGN } });
  return Object.fromEntries(
    report.rows.map((r) => [String(r.key), { visits: r.visits, clicks: r.clicks, cost: r.cost }]),
  );
}

describe("lander visits settle under their first click's offer", () => {
  it("in the visit's own batch, in a busy second read once, and by a seek", async () => {
    // Ten visits in one second (a burst), one alone in the next; stored before any click.
    const burst = Array.from({ length: 10 }, (_, i) => visit(i, SECOND + i * 7));
    const lone = visit(99, SECOND + 1_500);
    await write([...burst, lone].map(encodeVisit));
    expect(await byOffer()).toEqual({ null: { visits: 11, clicks: 0, cost: 1.1 } });

    // One batch: four clicks into the burst's second (read once), one into the lone visit's (a seek),
    // a second click of burst[0] to another offer (the first click wins), and a new visit with
    // its own click (found by its exact key).
    const fresh = visit(200, SECOND + 1_900);
    const batch = message([
      encodeLanderClick(click(burst[0]!, A, 100)),
      encodeLanderClick(click(burst[0]!, B, 200)),
      encodeLanderClick(click(burst[1]!, A, 100)),
      encodeLanderClick(click(burst[2]!, B, 100)),
      encodeLanderClick(click(burst[3]!, B, 100)),
      encodeLanderClick(click(lone, A, 100)),
      encodeVisit(fresh),
      encodeLanderClick(click(fresh, B, 50)),
    ]);
    expect((await writeVisitMessages(env.DB, [batch])).written).toBe(1);
    expect(await byOffer()).toEqual({
      [A]: { visits: 3, clicks: 4, cost: 0.3 },
      [B]: { visits: 3, clicks: 3, cost: 0.3 },
      null: { visits: 6, clicks: 0, cost: 0.6 },
    });

    // Redelivered, the batch moves nothing again.
    expect((await writeVisitMessages(env.DB, [batch])).written).toBe(0);
    expect((await byOffer())[A]).toEqual({ visits: 3, clicks: 4, cost: 0.3 });
    // The transaction's list of settling visits is gone with it: a later batch starts empty.
    const left = await env.DB.prepare(`SELECT count(*) AS n FROM ${SETTLING}`).first<{ n: number }>();
    expect(left?.n).toBe(0);
  });
});

describe("the settlement's query plans", () => {
  it("seek each settling visit's raw row by its key, never a second's range per candidate", async () => {
    const plan = async (statement: string, ...params: string[]) => {
      const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement}`)
        .bind(...params)
        .all<{ detail: string }>();
      return rows.results.map((r) => r.detail);
    };
    for (const detail of [
      await plan(FILL_SETTLING, "[]"),
      ...(await Promise.all(SETTLE_STATEMENTS.map((statement) => plan(statement)))),
    ]) {
      // raw_visits is read as `v` (the candidates, the settling visits) and, by the update, as
      // `r` (the row it writes).
      expect(
        detail.filter((d) => /^SCAN (v|r|raw_visits)\b/.test(d)),
        detail.join("\n"),
      ).toEqual([]);
      expect(
        detail.filter((d) => /^SEARCH r\b/.test(d) && !/\(created_at=\? AND click_id=\?\)/.test(d)),
        detail.join("\n"),
      ).toEqual([]);
    }
  });
});
