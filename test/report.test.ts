import { beforeAll, describe, expect, it } from "vitest";
import { api, createCampaign, created, createOffer } from "./helpers";
import { insertConversions, insertVisits, report } from "./report-helpers";

/**
 * One hand-counted data set (in UTC, 2026-06-10..11):
 *   C1 (cost 0.02/click): 10 visits PL offer A on the 10th, 5 visits US offer B on the 11th,
 *   C2 (no cost): 4 visits without country, offer A, on the 10th at 23:30 (the 11th in Warsaw).
 *   Conversions: 2 × 1.5 default and 0.5 "install" (excluded type) on A/PL; 10 "sale" and a
 *   -2.5 correction on B/US; 4 on C2; and 100 at 2026-06-09T23:59:59.999Z, which is outside the
 *   UTC range but on the 10th in Warsaw.
 */
let c1: any, c2: any, offerA: any, offerB: any, install: any, sale: any;

beforeAll(async () => {
  offerA = await createOffer({ name: "Offer A" });
  offerB = await createOffer({ name: "Offer B" });
  c1 = await createCampaign([{ offerId: offerA.id }, { offerId: offerB.id }], { name: "Push PL", costPerClick: 0.02 });
  c2 = await createCampaign([{ offerId: offerA.id }], { name: "Native" });
  install = await created(api("POST", "/conversion-types", { name: "install", includeInConversions: false }));
  sale = await created(api("POST", "/conversion-types", { name: "sale", includeInConversions: true }));

  const pl = await insertVisits(10, {
    campaignId: c1.id,
    offerId: offerA.id,
    at: "2026-06-10T10:00:00Z",
    country: "PL",
    costMicros: 20_000,
  });
  const us = await insertVisits(5, {
    campaignId: c1.id,
    offerId: offerB.id,
    at: "2026-06-11T10:00:00Z",
    country: "US",
    costMicros: 20_000,
  });
  const none = await insertVisits(4, { campaignId: c2.id, offerId: offerA.id, at: "2026-06-10T23:30:00Z" });
  await insertVisits(3, {
    campaignId: c1.id,
    offerId: offerA.id,
    at: "2026-06-12T00:00:00Z",
    country: "PL",
    costMicros: 20_000,
  });

  const a = { campaignId: c1.id, offerId: offerA.id };
  const b = { campaignId: c1.id, offerId: offerB.id };
  await insertConversions([
    { ...a, clickId: pl[0], at: "2026-06-10T11:00:00Z", payoutMicros: 1_500_000 },
    { ...a, clickId: pl[1], at: "2026-06-10T11:00:00Z", payoutMicros: 1_500_000 },
    { ...a, clickId: pl[1], at: "2026-06-10T12:00:00Z", payoutMicros: 500_000, typeId: install.id },
    { ...b, clickId: us[0], at: "2026-06-11T11:00:00Z", payoutMicros: 10_000_000, typeId: sale.id },
    { ...b, clickId: us[0], at: "2026-06-11T12:00:00Z", payoutMicros: -2_500_000, source: "upload", txid: "fix-1" },
    { campaignId: c2.id, offerId: offerA.id, clickId: none[0], at: "2026-06-10T23:45:00Z", payoutMicros: 4_000_000 },
    { ...a, clickId: pl[2], at: "2026-06-09T23:59:59.999Z", payoutMicros: 100_000_000 },
    { ...a, clickId: pl[3], at: "2026-06-12T00:00:00Z", payoutMicros: 100_000_000 },
  ]);
});

const utcRange = { from: "2026-06-10", to: "2026-06-11", tz: "UTC" };

describe("GET /api/report formulas", () => {
  it("totals: only included types count, every payout incl. corrections is revenue, cost per click", async () => {
    const { totals } = await report({ ...utcRange, groupBy: "campaign" });
    expect(totals).toEqual({
      visits: 19,
      clicks: 0,
      ctr: 0,
      pending: 0,
      pendingRevenue: 0,
      conversions: 5,
      revenue: 15,
      cost: 0.3,
      profit: 14.7,
      cr: 0.263158,
      epc: 0.789474,
      roi: 49,
    });
  });

  it("groups by campaign with names, and roi null when the campaign has no cost", async () => {
    const { rows } = await report({ ...utcRange, groupBy: "campaign" });
    expect(rows).toEqual([
      {
        key: c1.id,
        label: "Push PL",
        clicks: 0,
        ctr: 0,
        pending: 0,
        pendingRevenue: 0,
        visits: 15,
        conversions: 4,
        revenue: 11,
        cost: 0.3,
        profit: 10.7,
        cr: 0.266667,
        epc: 0.733333,
        roi: 35.666667,
      },
      {
        key: c2.id,
        label: "Native",
        clicks: 0,
        ctr: 0,
        pending: 0,
        pendingRevenue: 0,
        visits: 4,
        conversions: 1,
        revenue: 4,
        cost: 0,
        profit: 4,
        cr: 0.25,
        epc: 1,
        roi: null,
      },
    ]);
  });

  it("groups by offer", async () => {
    const { rows } = await report({ ...utcRange, groupBy: "offer" });
    expect(rows.map((r: any) => [r.key, r.label, r.visits, r.conversions, r.revenue, r.cost, r.profit, r.roi])).toEqual(
      [
        [offerA.id, "Offer A", 14, 3, 7.5, 0.2, 7.3, 36.5],
        [offerB.id, "Offer B", 5, 2, 7.5, 0.1, 7.4, 74],
      ],
    );
  });

  it("groups by country, conversions following their visit's country", async () => {
    const { rows } = await report({ ...utcRange, groupBy: "country" });
    expect(rows.map((r: any) => [r.key, r.label, r.visits, r.conversions, r.revenue, r.cost])).toEqual([
      ["PL", "Poland", 10, 2, 3.5, 0.2],
      ["US", "United States", 5, 2, 7.5, 0.1],
      ["XX", "Unknown", 4, 1, 4, 0],
    ]);
  });

  it("groups by conversion type; visits and cost stay in the totals", async () => {
    const { rows, totals } = await report({ ...utcRange, groupBy: "conversionType" });
    expect(rows.map((r: any) => [r.key, r.label, r.visits, r.conversions, r.revenue, r.cost, r.cr])).toEqual([
      [null, "(default)", 0, 4, 4.5, 0, null],
      [install.id, "install", 0, 0, 0.5, 0, null],
      [sale.id, "sale", 0, 1, 10, 0, null],
    ]);
    expect(totals).toMatchObject({ visits: 19, conversions: 5, revenue: 15, cost: 0.3 });
  });

  it("groups by day in UTC, every day of the range listed", async () => {
    const { rows } = await report({ from: "2026-06-09", to: "2026-06-11", tz: "UTC", groupBy: "day" });
    expect(rows.map((r: any) => [r.key, r.visits, r.conversions, r.revenue, r.cost])).toEqual([
      ["2026-06-09", 0, 1, 100, 0],
      ["2026-06-10", 14, 3, 7.5, 0.2],
      ["2026-06-11", 5, 2, 7.5, 0.1],
    ]);
  });

  it("cuts days in another zone: the same rows fall on other days in Europe/Warsaw", async () => {
    const { rows, totals } = await report({ ...utcRange, tz: "Europe/Warsaw", groupBy: "day" });
    expect(rows.map((r: any) => [r.key, r.visits, r.conversions, r.revenue, r.cost])).toEqual([
      ["2026-06-10", 10, 3, 103.5, 0.2],
      ["2026-06-11", 9, 3, 11.5, 0.1],
    ]);
    expect(totals).toMatchObject({ visits: 19, conversions: 6, revenue: 115, cost: 0.3 });
  });

  it("filters by campaign", async () => {
    const { rows, totals } = await report({ ...utcRange, groupBy: "offer", campaignId: c2.id });
    expect(rows.map((r: any) => [r.key, r.visits, r.revenue])).toEqual([[offerA.id, 4, 4]]);
    expect(totals).toMatchObject({ visits: 4, conversions: 1, revenue: 4 });
  });

  it("defaults to the settings time zone and today", async () => {
    const body = await report({ groupBy: "day" });
    expect(body.tz).toBe("UTC");
    expect(body.from).toBe(new Date().toISOString().slice(0, 10));
    expect(body.rows).toHaveLength(1);
  });
});
