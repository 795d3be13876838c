import { beforeAll, describe, expect, it } from "vitest";
import { setupCampaign } from "./helpers";
import { getJson, insertConversions, insertVisits, report } from "./report-helpers";

/** Instants on both sides of local midnights around DST changes, with their local day by hand. */
const cases: Record<string, [string, string][]> = {
  "Europe/Warsaw": [
    ["2026-03-28T22:59:59.999Z", "2026-03-28"],
    ["2026-03-28T23:00:00Z", "2026-03-29"], // CET midnight; clocks jump 02:00 -> 03:00 later that night
    ["2026-03-29T21:59:59Z", "2026-03-29"], // 23:59:59 CEST
    ["2026-03-29T22:00:00Z", "2026-03-30"],
    ["2026-10-24T21:59:59Z", "2026-10-24"],
    ["2026-10-25T00:30:00Z", "2026-10-25"], // 02:30 CEST, then
    ["2026-10-25T01:30:00Z", "2026-10-25"], // 02:30 CET: the repeated hour
    ["2026-10-25T22:59:59Z", "2026-10-25"],
    ["2026-10-25T23:00:00Z", "2026-10-26"],
  ],
  "America/New_York": [
    ["2026-03-08T04:59:59Z", "2026-03-07"],
    ["2026-03-08T05:00:00Z", "2026-03-08"],
    ["2026-03-09T03:59:59Z", "2026-03-08"],
    ["2026-03-09T04:00:00Z", "2026-03-09"],
    ["2026-11-01T03:59:59Z", "2026-10-31"],
    ["2026-11-02T04:59:59Z", "2026-11-01"],
    ["2026-11-02T05:00:00Z", "2026-11-02"],
  ],
  "Asia/Kolkata": [
    ["2026-06-10T18:29:59Z", "2026-06-10"],
    ["2026-06-10T18:30:00Z", "2026-06-11"],
  ],
  "Australia/Adelaide": [
    ["2026-04-04T13:29:59Z", "2026-04-04"],
    ["2026-04-04T13:30:00Z", "2026-04-05"], // +10:30; clocks go back to +9:30 that night
    ["2026-04-05T14:29:59Z", "2026-04-05"],
    ["2026-04-05T14:30:00Z", "2026-04-06"],
  ],
};

const campaigns: Record<string, { campaignId: number; offerId: number }> = {};

beforeAll(async () => {
  for (const [tz, instants] of Object.entries(cases)) {
    const { campaign, offer } = await setupCampaign({}, { name: tz });
    campaigns[tz] = { campaignId: campaign.id, offerId: offer.id };
    for (const [at] of instants) await insertVisits(1, { ...campaigns[tz]!, at, costMicros: 10_000 });
    await insertConversions(instants.map(([at]) => ({ ...campaigns[tz]!, at, payoutMicros: 1_000_000 })));
  }
});

describe.each(Object.keys(cases))("days in %s", (tz) => {
  const expected = new Map<string, number>();
  for (const [, day] of cases[tz]!) expected.set(day, (expected.get(day) ?? 0) + 1);
  const days = [...expected.keys()].sort();

  it("puts each visit and conversion on its local day, over a range crossing the change", async () => {
    const { rows, totals } = await report({
      from: days[0]!,
      to: days.at(-1)!,
      tz,
      groupBy: "day",
      campaignId: campaigns[tz]!.campaignId,
    });
    const nonEmpty = rows.filter((r: any) => r.visits > 0 || r.conversions > 0);
    expect(nonEmpty.map((r: any) => [r.key, r.visits, r.conversions, r.revenue])).toEqual(
      days.map((d) => [d, expected.get(d), expected.get(d), expected.get(d)]),
    );
    expect(totals.visits).toBe(cases[tz]!.length);
  });

  it("limits a one-day range to exactly that local day, in the report and the list", async () => {
    for (const day of days) {
      const q = `from=${day}&to=${day}&tz=${encodeURIComponent(tz)}&campaignId=${campaigns[tz]!.campaignId}`;
      const { totals } = await getJson(`/report?${q}`);
      const { conversions } = await getJson(`/conversions?${q}`);
      expect([totals.visits, totals.conversions, conversions.length], day).toEqual([
        expected.get(day),
        expected.get(day),
        expected.get(day),
      ]);
      for (const c of conversions) expect(c.conversionTime.slice(0, 10)).toBe(day);
    }
  });
});

describe("exact money", () => {
  it("sums 10,000 payouts of 0.01 to exactly 100 (a float sum would not)", async () => {
    const { campaign, offer } = await setupCampaign({}, { name: "cents" });
    const at = "2026-07-01T12:00:00Z";
    await insertConversions(
      Array.from({ length: 10_000 }, () => ({ campaignId: campaign.id, offerId: offer.id, at, payoutMicros: 10_000 })),
    );
    let float = 0;
    for (let i = 0; i < 10_000; i++) float += 0.01;
    expect(float).not.toBe(100);
    const { totals, rows } = await report({ from: "2026-07-01", to: "2026-07-01", tz: "UTC", campaignId: campaign.id });
    expect(totals).toMatchObject({ conversions: 10_000, revenue: 100, profit: 100 });
    expect(rows[0].revenue).toBe(100);
  });
});
