import { describe, expect, it } from "vitest";
import { adminSession, api, createTrafficSource, pageErrors, setupCampaign } from "./helpers";
import { getJson, visitRecord, writeVisits } from "./report-helpers";

// docs/costs.md cost updates: set a total over whole days, applied when reports are computed.

let seq = 0;
const DAY = "2026-05-04";

/** n visits at `at` with var1 = zone, each costing costMicros as recorded at the click. */
async function visits(campaignId: number, n: number, at: string, zone: string | null, costMicros = 10_000) {
  const records = Array.from({ length: n }, () =>
    visitRecord({
      clickId: `cu${String(seq++).padStart(6, "0")}${campaignId}`.padEnd(32, "0"),
      createdAt: Date.parse(at),
      campaignId,
      costMicros,
      vars: [zone, ...Array(9).fill(null)],
    }),
  );
  await writeVisits(records);
}

async function postUpdate(body: Record<string, unknown>) {
  const res = await api("POST", "/cost-updates", body);
  return { status: res.status, body: (await res.json()) as any };
}

/** Cost per var1 value (null for none) and the total, over the given days in UTC. */
async function costs(campaignId: number, groupBy = "var1", from = DAY, to = DAY, tz = "UTC") {
  const { rows, totals } = await getJson(
    `/report?campaignId=${campaignId}&groupBy=${groupBy}&from=${from}&to=${to}&tz=${encodeURIComponent(tz)}`,
  );
  return { rows: Object.fromEntries(rows.map((r: any) => [String(r.key), r.cost])), total: totals.cost };
}

async function zonedCampaign() {
  const { campaign } = await setupCampaign();
  await visits(campaign.id, 6, `${DAY}T10:00:00Z`, "zoneA");
  await visits(campaign.id, 4, `${DAY}T11:00:00Z`, "zoneB");
  return campaign.id;
}

describe("cost updates (docs/costs.md)", () => {
  it("an update, a later overlapping one and their deletion, seen by var1", async () => {
    const id = await zonedCampaign();
    expect(await costs(id)).toEqual({ rows: { zoneA: 0.06, zoneB: 0.04 }, total: 0.1 });

    const whole = await postUpdate({ campaignId: id, from: DAY, to: DAY, tz: "UTC", amount: 1 });
    expect(whole.status).toBe(201);
    expect(whole.body).toMatchObject({ campaignId: id, from: DAY, to: DAY, tz: "UTC", amount: 1, visits: 10 });
    expect(await costs(id)).toEqual({ rows: { zoneA: 0.6, zoneB: 0.4 }, total: 1 });

    // Later and narrower: zoneA now costs 0.30 in all; zoneB keeps the first update's rate.
    const zone = await postUpdate({
      campaignId: id,
      from: DAY,
      to: DAY,
      tz: "UTC",
      amount: 0.3,
      filters: { var1: "zoneA" },
    });
    expect(zone.body).toMatchObject({ visits: 6, filters: { var1: "zoneA" } });
    expect(await costs(id)).toEqual({ rows: { zoneA: 0.3, zoneB: 0.4 }, total: 0.7 });
    expect((await costs(id, "campaign")).total).toBe(0.7);
    expect((await costs(id, "day")).rows).toEqual({ [DAY]: 0.7 });
    expect((await costs(id, "hour")).rows).toMatchObject({ "10": 0.3, "11": 0.4 });

    // A later update over the whole day replaces both.
    const again = await postUpdate({ campaignId: id, from: DAY, to: DAY, tz: "UTC", amount: 2 });
    expect(await costs(id)).toEqual({ rows: { zoneA: 1.2, zoneB: 0.8 }, total: 2 });

    const listed = await getJson(`/cost-updates?campaignId=${id}`);
    expect(listed.costUpdates.map((u: any) => u.id)).toEqual([again.body.id, zone.body.id, whole.body.id]);

    for (const [u, expected] of [
      [again, { rows: { zoneA: 0.3, zoneB: 0.4 }, total: 0.7 }],
      [zone, { rows: { zoneA: 0.6, zoneB: 0.4 }, total: 1 }],
      [whole, { rows: { zoneA: 0.06, zoneB: 0.04 }, total: 0.1 }],
    ] as const) {
      expect((await api("DELETE", `/cost-updates/${u.body.id}`)).status).toBe(200);
      expect(await costs(id)).toEqual(expected);
    }
    expect((await api("DELETE", `/cost-updates/${whole.body.id}`)).status).toBe(404);
  });

  it("splits exactly: rows sum to the amount to the micro-unit", async () => {
    const { campaign } = await setupCampaign();
    for (const zone of ["a", "b", "c"]) await visits(campaign.id, 1, `${DAY}T09:00:00Z`, zone);
    await postUpdate({ campaignId: campaign.id, from: DAY, to: DAY, tz: "UTC", amount: 1 });
    const { rows, total } = await costs(campaign.id);
    expect(total).toBe(1);
    expect(Object.values(rows).sort()).toEqual([0.333333, 0.333333, 0.333334]);
  });

  it("a report over part of an update shows that part's share; days are the update's zone", async () => {
    const { campaign } = await setupCampaign();
    // 2026-05-04T20:00Z is already the 5th in Kolkata (+05:30).
    await visits(campaign.id, 2, "2026-05-04T12:00:00Z", null);
    await visits(campaign.id, 2, "2026-05-04T20:00:00Z", null);
    await visits(campaign.id, 4, "2026-05-05T12:00:00Z", null);
    const u = await postUpdate({ campaignId: campaign.id, from: DAY, to: DAY, tz: "Asia/Kolkata", amount: 3 });
    expect(u.body.visits).toBe(2);
    const days = await costs(campaign.id, "day", "2026-05-04", "2026-05-05");
    // UTC days: the 4th holds the 2 updated visits (3.00) and 2 recorded (0.02); the 5th 4 recorded.
    expect(days.rows).toEqual({ "2026-05-04": 3.02, "2026-05-05": 0.04 });
    const span = await postUpdate({
      campaignId: campaign.id,
      from: "2026-05-04",
      to: "2026-05-05",
      tz: "UTC",
      amount: 8,
    });
    expect(span.body.visits).toBe(8);
    expect((await costs(campaign.id, "campaign", "2026-05-05", "2026-05-05")).total).toBe(4);
  });

  it("refuses bad input with a 400 naming the field, and stores nothing", async () => {
    const { campaign } = await setupCampaign();
    const ok = { campaignId: campaign.id, from: DAY, to: DAY, amount: 1 };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...ok, to: "2027-05-05" }, "to"],
      [{ ...ok, to: "2026-05-03" }, "to"],
      [{ ...ok, from: "2026-02-30" }, "from"],
      [{ ...ok, campaignId: 987654 }, "campaignId"],
      [{ ...ok, amount: -1 }, "amount"],
      [{ ...ok, amount: "1.0000001" }, "amount"],
      [{ ...ok, tz: "+02:00" }, "tz"],
      [{ ...ok, filters: { zone: "x" } }, "filters.zone"],
      [{ ...ok, filters: { offerId: "abc" } }, "filters.offerId"],
    ];
    for (const [body, path] of cases) {
      const res = await postUpdate(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.body.issues.map((i: any) => i.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    expect((await getJson(`/cost-updates?campaignId=${campaign.id}`)).costUpdates).toEqual([]);
  });

  it("the admin page lists, creates with the report's filters, refuses as the API does, and deletes", async () => {
    const id = await zonedCampaign();
    const admin = await adminSession();
    // The report's "Set the cost of this view" link fills the form, filters included.
    const report = await (
      await admin.get(`/admin/report?from=${DAY}&to=${DAY}&tz=UTC&groupBy=offer&campaignId=${id}&var1=zoneA`)
    ).text();
    const href = /<a class="button secondary" href="([^"]+)">Set the cost of this view/
      .exec(report)![1]!
      .replace(/&amp;/g, "&");
    const prefilled = await (await admin.get(href)).text();
    expect(prefilled).toMatch(new RegExp(`<option value="${id}" selected`));
    expect(prefilled).toMatch(/<option value="var1" selected/);
    expect(prefilled).toContain('name="value1" value="zoneA"');

    const form = {
      campaignId: String(id),
      from: DAY,
      to: DAY,
      tz: "UTC",
      amount: "0.9",
      filter1: "var1",
      value1: "zoneA",
    };
    const refused = await admin.post("/admin/cost-updates", { ...form, amount: "-2", to: "2026-05-01" });
    expect(refused.status).toBe(400);
    expect(pageErrors(await refused.text())).toEqual([
      "Total cost: must not be negative",
      "To: must not be before from (2026-05-04)",
    ]);
    expect((await admin.post("/admin/cost-updates", form)).status).toBe(303);
    expect(await costs(id)).toEqual({ rows: { zoneA: 0.9, zoneB: 0.04 }, total: 0.94 });

    const list = await (await admin.get("/admin/cost-updates")).text();
    const [, updateId] = /action="\/admin\/cost-updates\/(\d+)\/delete"/.exec(list)!;
    expect(list).toContain("var1 = zoneA");
    expect((await admin.post(`/admin/cost-updates/${updateId}/delete`, {})).status).toBe(303);
    expect(await costs(id)).toEqual({ rows: { zoneA: 0.06, zoneB: 0.04 }, total: 0.1 });
  });

  it("the admin page names var slots as the campaign's traffic source does", async () => {
    const source = await createTrafficSource({
      name: "PushNet",
      variables: [{ slot: 1, param: "zone", placeholder: "{zoneid}", alias: "Zone" }],
    });
    const { campaign } = await setupCampaign({}, { trafficSourceId: source.id });
    const admin = await adminSession();
    const prefilled = await (await admin.get(`/admin/cost-updates?campaignId=${campaign.id}&var1=zoneA`)).text();
    expect(prefilled).toContain('<option value="var1" selected="">Zone</option>');
    const form = { campaignId: String(campaign.id), from: DAY, to: DAY, tz: "UTC", amount: "1" };
    expect((await admin.post("/admin/cost-updates", { ...form, filter1: "var1", value1: "zoneA" })).status).toBe(303);
    const list = await (await admin.get("/admin/cost-updates")).text();
    expect(list).toContain("Zone = zoneA");
  });
});
