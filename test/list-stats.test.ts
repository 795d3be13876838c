import { beforeAll, describe, expect, it } from "vitest";
import { formatDay, localDay, parseDay } from "../src/lib/timezone";
import { rangePresets } from "../src/ui/range-presets";
import { api, createTrafficSource, setupCampaign } from "./helpers";
import { adminPage, hrefs, sessionCookie } from "./page-helpers";
import { getJson, insertConversions, insertVisits, visitRecord, writeVisits } from "./report-helpers";

/**
 * Settings in EUR. Yesterday: "Push" (source "Net") 1,500 visits at 0.02, one sale of 1,234.50;
 * "Other" 10 visits at 0.10. Today: 3 visits of "Push". Figures by hand for yesterday:
 * Push 1,500 visits, cost 30.00, revenue 1,234.50, profit 1,204.50, ROI 40.15, EPC 0.823.
 */
const now = Date.now();
const today = localDay("UTC", now);
const yesterday = formatDay(parseDay(today)! - 1);
let push: any;
let other: any;
let source: any;
let cookie = "";

beforeAll(async () => {
  cookie = await sessionCookie();
  expect((await api("PATCH", "/settings", { currency: "EUR" })).status).toBe(200);
  source = await createTrafficSource({ name: "Net" });
  push = await setupCampaign({ name: "Push offer" }, { name: "Push", trafficSourceId: source.id });
  other = await setupCampaign({ name: "Other offer" }, { name: "Other" });
  const at = Date.parse(`${yesterday}T12:00:00Z`);
  const visits = Array.from({ length: 1500 }, (_, i) => `push${i}`.padEnd(32, "p"));
  await writeVisits(
    visits.map((clickId, i) =>
      visitRecord({
        clickId,
        createdAt: at + i,
        campaignId: push.campaign.id,
        offerId: push.offer.id,
        trafficSourceId: source.id,
        costMicros: 20_000,
      }),
    ),
  );
  await insertVisits(10, { campaignId: other.campaign.id, offerId: other.offer.id, at, costMicros: 100_000 });
  await insertVisits(3, { campaignId: push.campaign.id, offerId: push.offer.id, at: now - 1000 });
  await insertConversions([
    {
      campaignId: push.campaign.id,
      offerId: push.offer.id,
      clickId: visits[0],
      at: at + 60_000,
      payoutMicros: 1_234_500_000,
    },
  ]);
});

const pushYesterday = {
  visits: 1500,
  conversions: 1,
  revenue: 1234.5,
  cost: 30,
  profit: 1204.5,
  roi: 40.15,
  epc: 0.823,
};

describe("figures in the lists", () => {
  it("GET /api/campaigns?from&to&tz adds each campaign's stats, as the report counts them", async () => {
    const q = `from=${yesterday}&to=${yesterday}&tz=UTC`;
    const body = await getJson(`/campaigns?${q}`);
    expect(body).toMatchObject({ from: yesterday, to: yesterday, tz: "UTC" });
    const byName = new Map<string, any>(body.campaigns.map((c: any) => [c.name, c.stats]));
    expect(byName.get("Push")).toEqual(pushYesterday);
    expect(byName.get("Other")).toMatchObject({ visits: 10, cost: 1, profit: -1, roi: -1, epc: 0 });
    const report = await getJson(`/report?${q}&groupBy=campaign`);
    const row = report.rows.find((r: any) => r.key === push.campaign.id);
    for (const f of Object.keys(pushYesterday)) expect(byName.get("Push")[f]).toBe(row[f]);
  });

  it("offers, landers and traffic sources add stats too; without a range, none", async () => {
    const q = `from=${yesterday}&to=${today}`;
    const offers = await getJson(`/offers?${q}`);
    expect(offers.offers.find((o: any) => o.id === push.offer.id).stats).toMatchObject({
      visits: 1503,
      revenue: 1234.5,
    });
    const sources = await getJson(`/traffic-sources?${q}`);
    expect(sources.trafficSources.find((s: any) => s.id === source.id).stats).toMatchObject({ visits: 1500, cost: 30 });
    const landers = await getJson(`/landers?${q}`);
    expect(landers.from).toBe(yesterday);
    expect((await getJson("/campaigns")).campaigns[0].stats).toBeUndefined();
    const bad = await api("GET", "/campaigns?from=yesterday&foo=1");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).issues.map((i: any) => i.path).sort()).toEqual(["foo", "from"]);
  });

  it("the list pages show the figures in the account currency, with presets and a report link", async () => {
    const page = await adminPage(`/admin/campaigns?from=${yesterday}&to=${yesterday}&tz=UTC`, cookie);
    expect(page.status).toBe(200);
    expect(page.html).toContain("€1,234.50");
    expect(page.html).toContain("€1,204.50");
    expect(page.html).toContain("1,500");
    expect(page.html).toContain("4,015.00%");
    const links = hrefs(page.html);
    const y = rangePresets("UTC", now).find((p) => p.label === "Yesterday")!;
    expect(links).toContain(`/admin/campaigns?from=${y.from}&to=${y.to}&tz=UTC`);
    expect(links).toContain(
      `/admin/report?groupBy=day&campaignId=${push.campaign.id}&from=${yesterday}&to=${yesterday}&tz=UTC`,
    );
    for (const path of ["/admin/offers", "/admin/landers", "/admin/traffic-sources"]) {
      const p = await adminPage(`${path}?from=${yesterday}&to=${yesterday}`, cookie);
      expect(p.status, path).toBe(200);
      expect(p.html, path).toContain("Last 30 days");
      expect(p.html, path).toContain("EPC");
    }
    expect((await adminPage("/admin/offers", cookie)).html).toContain("€0.00");
  });
});

describe("range presets", () => {
  it("today, yesterday, last 7 and 30 days, this month and last month in the zone", () => {
    const at = Date.parse("2026-03-01T02:00:00Z");
    // In New York it is still 28 February.
    expect(rangePresets("America/New_York", at)).toEqual([
      { label: "Today", from: "2026-02-28", to: "2026-02-28" },
      { label: "Yesterday", from: "2026-02-27", to: "2026-02-27" },
      { label: "Last 7 days", from: "2026-02-22", to: "2026-02-28" },
      { label: "Last 30 days", from: "2026-01-30", to: "2026-02-28" },
      { label: "This month", from: "2026-02-01", to: "2026-02-28" },
      { label: "Last month", from: "2026-01-01", to: "2026-01-31" },
    ]);
    expect(rangePresets("UTC", at)[4]).toEqual({ label: "This month", from: "2026-03-01", to: "2026-03-01" });
  });
});
