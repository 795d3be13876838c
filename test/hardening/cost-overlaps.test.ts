import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countD1Statements, d1Counts, resetD1Counts } from "../../bench/worker/d1-counter";
import { MAX_PARTIAL_OVERLAPS } from "../../src/reports/cost-updates";
import { api, setupCampaign } from "../helpers";
import { getJson, visitRecord, writeVisits } from "../report-helpers";

// A cost update must never make a report fail or do more than a bounded amount of extra work.

countD1Statements(env.DB);
let seq = 0;
const days = ["2026-05-04", "2026-05-05", "2026-05-06", "2026-05-07", "2026-05-08", "2026-05-09"];

async function campaignWithVisits() {
  const { campaign } = await setupCampaign();
  const records = days.flatMap((day, d) =>
    Array.from({ length: 4 }, (_, i) =>
      visitRecord({
        clickId: `co${String(seq++).padStart(6, "0")}${campaign.id}`.padEnd(32, "0"),
        createdAt: Date.parse(`${day}T10:00:00Z`),
        campaignId: campaign.id,
        costMicros: 10_000,
        vars: [i % 2 ? "a" : "x", d % 2 ? "b" : "y", ...Array(8).fill(null)],
      }),
    ),
  );
  await writeVisits(records);
  return campaign.id as number;
}

const update = async (body: Record<string, unknown>) => {
  const res = await api("POST", "/cost-updates", { tz: "UTC", ...body });
  return { status: res.status, body: (await res.json()) as any };
};

const report = (campaignId: number) =>
  getJson(`/report?campaignId=${campaignId}&groupBy=day&from=${days[0]}&to=${days.at(-1)}&tz=UTC`);

describe("overlapping cost updates", () => {
  it("refuses an update overlapping another on a different attribute, and two attributes in one update", async () => {
    const id = await campaignWithVisits();
    const first = await update({ campaignId: id, from: days[0], to: days[2], amount: 5, filters: { var1: "a" } });
    expect(first.status).toBe(201);
    const second = await update({ campaignId: id, from: days[1], to: days[3], amount: 5, filters: { var2: "b" } });
    expect(second.status).toBe(409);
    expect(second.body.error).toContain(`cost update ${first.body.id}`);
    const both = await update({
      campaignId: id,
      from: days[4],
      to: days[4],
      amount: 5,
      filters: { var1: "a", var2: "b" },
    });
    expect(both.status).toBe(400);
    expect(both.body.issues[0].path).toBe("filters");
    // Other days, or covering the first whole, are fine; the report answers and sums exactly.
    expect(
      (await update({ campaignId: id, from: days[4], to: days[5], amount: 3, filters: { var2: "b" } })).status,
    ).toBe(201);
    expect((await update({ campaignId: id, from: days[0], to: days[3], amount: 7, filters: {} })).status).toBe(201);
    const r = await report(id);
    // Days 1-4: 7 in all; day 6's var2=b visits: 3; day 5's four visits keep their 0.01 each.
    expect(r.totals.cost).toBe(7 + 3 + 0.04);
  });

  it("the most partial overlaps allowed cost the report a bounded number of statements", async () => {
    const id = await campaignWithVisits();
    resetD1Counts();
    const plain = await report(id);
    const base = d1Counts().total;
    expect((await update({ campaignId: id, from: days[0], to: days[5], amount: 60 })).status).toBe(201);
    for (let i = 0; i < MAX_PARTIAL_OVERLAPS; i++)
      expect(
        (await update({ campaignId: id, from: days[i], to: days[i], amount: 1, filters: { var1: "a" } })).status,
      ).toBe(201);
    const refused = await update({ campaignId: id, from: days[4], to: days[4], amount: 1, filters: { var1: "a" } });
    expect(refused.status).toBe(409);
    resetD1Counts();
    const withUpdates = await report(id);
    const extra = d1Counts().total - base;
    expect(plain.totals.visits).toBe(withUpdates.totals.visits);
    // The later four set var1=a's 8 visits of days 1-4 to 1 a day; the first keeps 16 of its 24 visits.
    expect(withUpdates.totals.cost).toBe(4 * 1 + (60 * 16) / 24);
    // Every update: its visits, then 2^(later partial overlaps) intersections at most.
    expect(extra).toBeLessThanOrEqual((MAX_PARTIAL_OVERLAPS + 1) * (1 + 2 ** MAX_PARTIAL_OVERLAPS));
    console.log(`report statements: ${base} without updates, ${base + extra} with ${MAX_PARTIAL_OVERLAPS + 1}`);
  });
});
