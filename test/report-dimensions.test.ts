import { beforeAll, describe, expect, it } from "vitest";
import { api, createCampaign, createOffer } from "./helpers";
import { insertConversions, report, visitRecord, writeVisits } from "./report-helpers";

/** Ten days ago (drill-downs read raw visits, which D1 keeps 90 days), and the days around it. */
const DAY = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
const around = (n: number) => new Date(Date.parse(DAY) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Hand-counted (UTC, 10 days ago), campaign C (cost 0.01/visit), offer O:
 *   zone1: 6 visits, mobile, Android, PL, Warsaw; 2 conversions of 5.00
 *   zone2: 3 visits, desktop, Windows, PL, Krakow; 1 conversion of 1.00
 *   none:  1 visit,  mobile, iOS, no country
 * and 2 visits of another campaign D on zone1 (mobile, Android, DE).
 */
let c: number;
let d: number;
let o: number;

beforeAll(async () => {
  o = (await createOffer({ name: "O" })).id;
  c = (await createCampaign([{ offerId: o }], { name: "C" })).id;
  d = (await createCampaign([{ offerId: o }], { name: "D" })).id;
  let n = 0;
  const at = Date.parse(`${DAY}T10:00:00Z`);
  const v = (
    campaignId: number,
    zone: string | null,
    device: string,
    os: string,
    country: string | null,
    city: string | null,
  ) =>
    visitRecord({
      clickId: `dim${++n}`.padEnd(32, "d"),
      createdAt: at + n * 60_000,
      campaignId,
      offerId: o,
      costMicros: 10_000,
      vars: [zone, ...Array(9).fill(null)],
      deviceType: device,
      os,
      country,
      city,
    });
  const zone1 = Array.from({ length: 6 }, () => v(c, "zone1", "mobile", "Android", "PL", "Warsaw"));
  const zone2 = Array.from({ length: 3 }, () => v(c, "zone2", "desktop", "Windows", "PL", "Krakow"));
  const visits = [
    ...zone1,
    ...zone2,
    v(c, null, "mobile", "iOS", null, null),
    v(d, "zone1", "mobile", "Android", "DE", null),
    v(d, "zone1", "mobile", "Android", "DE", null),
  ];
  await writeVisits(visits);
  await insertConversions([
    { campaignId: c, offerId: o, clickId: zone1[0]!.clickId, at: at + 3_600_000, payoutMicros: 5_000_000 },
    { campaignId: c, offerId: o, clickId: zone1[1]!.clickId, at: at + 3_600_000, payoutMicros: 5_000_000 },
    { campaignId: c, offerId: o, clickId: zone2[0]!.clickId, at: at + 3_600_000, payoutMicros: 1_000_000 },
  ]);
});

const day = { from: DAY, to: DAY, tz: "UTC" };
const brief = (rows: any[]) => rows.map((r) => [r.key, r.visits, r.conversions, r.revenue]);

describe("GET /api/report by any dimension", () => {
  it("groups by a var, with a row for visits without one, ordered by visits", async () => {
    const body = await report({ ...day, groupBy: "var1", campaignId: c });
    expect(body.engine).toBe("rollups");
    expect(brief(body.rows)).toEqual([
      ["zone1", 6, 2, 10],
      ["zone2", 3, 1, 1],
      [null, 1, 0, 0],
    ]);
    expect(body.totals).toMatchObject({ visits: 10, conversions: 3, revenue: 11, cost: 0.1, profit: 10.9 });
  });

  it("groups by device, OS, city and country; unknown country is XX", async () => {
    expect(brief((await report({ ...day, groupBy: "device", campaignId: c })).rows)).toEqual([
      ["mobile", 7, 2, 10],
      ["desktop", 3, 1, 1],
    ]);
    expect(brief((await report({ ...day, groupBy: "os" })).rows)).toEqual([
      ["Android", 8, 2, 10],
      ["Windows", 3, 1, 1],
      ["iOS", 1, 0, 0],
    ]);
    expect(brief((await report({ ...day, groupBy: "city", campaignId: c })).rows)).toEqual([
      ["Warsaw", 6, 2, 10],
      ["Krakow", 3, 1, 1],
      [null, 1, 0, 0],
    ]);
    const countries = (await report({ ...day, groupBy: "country" })).rows;
    expect(countries.map((r: any) => [r.key, r.label, r.visits])).toEqual([
      ["PL", "Poland", 9],
      ["DE", "Germany", 2],
      ["XX", "Unknown", 1],
    ]);
  });

  it("drills down: filter by the row just opened, group by the next dimension", async () => {
    const zone1 = await report({ ...day, groupBy: "campaign", var1: "zone1" });
    expect(zone1.engine).toBe("rollups");
    expect(zone1.rows.map((r: any) => [r.label, r.visits, r.conversions])).toEqual([
      ["C", 6, 2],
      ["D", 2, 0],
    ]);
    expect(zone1.totals).toMatchObject({ visits: 8, conversions: 2, revenue: 10 });
    const deeper = await report({ ...day, groupBy: "os", var1: "zone1", country: "PL" });
    expect(deeper.engine).toBe("raw");
    expect(brief(deeper.rows)).toEqual([["Android", 6, 2, 10]]);
    expect(brief((await report({ ...day, groupBy: "var1", country: "XX" })).rows)).toEqual([[null, 1, 0, 0]]);
    expect((await report({ ...day, groupBy: "var1", var1: "never-seen" })).rows).toEqual([]);
  });

  it("orders by any field either way, limits the rows, and keeps totals over everything", async () => {
    const byRevenue = await report({ ...day, groupBy: "var1", orderBy: "revenue", order: "asc", limit: 2 });
    expect(brief(byRevenue.rows)).toEqual([
      [null, 1, 0, 0],
      ["zone2", 3, 1, 1],
    ]);
    expect(byRevenue.totals).toMatchObject({ visits: 12, conversions: 3, revenue: 11 });
    const byCr = await report({ ...day, groupBy: "var1", orderBy: "cr" });
    expect(byCr.rows.map((r: any) => [r.key, r.cr])).toEqual([
      ["zone2", 0.333333],
      ["zone1", 0.25],
      [null, 0],
    ]);
    const byLabel = await report({ ...day, groupBy: "campaign", orderBy: "label", order: "asc" });
    expect(byLabel.rows.map((r: any) => r.label)).toEqual(["C", "D"]);
  });

  it("groups by hour of day and filters by hour and day", async () => {
    const hours = await report({ ...day, groupBy: "hour", tz: "Asia/Kolkata" });
    // 10:01–10:12 UTC is 15:31–15:42 in Kolkata; the conversions at 11:0x UTC are 16:3x.
    expect(brief(hours.rows)).toEqual([
      [15, 12, 0, 0],
      [16, 0, 3, 11],
    ]);
    expect((await report({ ...day, groupBy: "campaign", hour: 11 })).totals).toMatchObject({
      visits: 0,
      conversions: 3,
    });
    expect(
      (await report({ from: around(-1), to: around(1), tz: "UTC", groupBy: "campaign", day: DAY })).totals,
    ).toMatchObject({ visits: 12 });
  });

  it("refuses unknown dimensions, fields and out-of-range limits naming the parameter", async () => {
    for (const [query, field] of [
      ["groupBy=zone", "groupBy"],
      ["orderBy=color", "orderBy"],
      ["limit=0", "limit"],
      ["limit=10001", "limit"],
      ["hour=24", "hour"],
      ["order=up", "order"],
      ["conversionType=x", "conversionType"],
    ]) {
      const res = await api("GET", `/report?from=${DAY}&${query}`);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(await res.json()), query).toContain(field);
    }
    // Two attribute filters read raw visits, which reach back visitRetentionDays only.
    const old = await api("GET", "/report?from=2020-01-01&to=2020-01-31&groupBy=os&var1=zone1&country=PL");
    expect(old.status).toBe(400);
    expect(await old.json()).toMatchObject({ code: "invalid_parameter", issues: [{ path: "from" }] });
  });
});
