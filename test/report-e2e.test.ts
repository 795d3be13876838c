import { env } from "cloudflare:workers";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, api, call, click, created, eventually, setupCampaign } from "./helpers";
import { getJson } from "./report-helpers";

/**
 * Clicks, postbacks and an upload through the real routes, then the report, the list and the CSV
 * must agree with each other and with this hand count, in UTC and in Asia/Kolkata:
 *   6 clicks at 0.05 = 0.30 cost.
 *   postback 2.50 (counted), its retry (duplicate), postback 1.00 "install" (excluded type),
 *   upload 3.75 (counted), a -1.00 correction under a new txid (counted, default type),
 *   7.00 with time 2026-06-10T20:00Z (counted; the 10th in UTC, the 11th in Kolkata), a bad line.
 *   => 4 conversions, revenue 13.25, profit 12.95, roi 43.166667.
 */
let campaignId: number;
const OLD = "2026-06-10T20:00:00Z";

beforeAll(async () => {
  const { campaign } = await setupCampaign({ payout: { mode: "auto" } }, { costPerClick: 0.05 });
  campaignId = campaign.id;
  await created(api("POST", "/conversion-types", { name: "install", includeInConversions: false }));
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push((await click(campaignId)).clickId);
  const pb = (q: string) => call(`/postback?${q}`).then(async (r) => [r.status, ((await r.json()) as any).status]);
  expect(await pb(`cid=${ids[0]}&payout=2.50`)).toEqual([200, "accepted"]);
  expect(await pb(`cid=${ids[0]}&payout=2.50`)).toEqual([200, "duplicate"]);
  expect(await pb(`cid=${ids[1]}&payout=1&et=install`)).toEqual([200, "accepted"]);
  const upload = await call("/api/conversions/upload", {
    method: "POST",
    headers: { ...ADMIN, "content-type": "text/plain" },
    body: `${ids[2]},3.75\n${ids[0]},-1,fix-1\n${ids[3]},7,,,${OLD}\nnot-a-click-id,1\n`,
  });
  expect(await upload.json()).toMatchObject({ summary: { total: 4, accepted: 3, duplicate: 0, rejected: 1 } });
  // Visits and conversions may reach D1 just after the answers (batched writes).
  const count = async () =>
    (await env.DB.prepare("SELECT (SELECT count(*) FROM raw_visits) + (SELECT count(*) FROM conversions) AS n").first<{
      n: number;
    }>())!.n;
  expect(await eventually(count, (n) => n === 6 + 5)).toBe(11);
});

const localDay = (tz: string, instant: number) => new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(instant);

describe.each(["UTC", "Asia/Kolkata"])("clicks, postbacks and an upload, seen in %s", (tz) => {
  const range = () =>
    `from=2026-06-10&to=${localDay(tz, Date.now())}&tz=${encodeURIComponent(tz)}&campaignId=${campaignId}`;

  it("report totals match the hand count", async () => {
    const { totals, rows } = await getJson(`/report?${range()}&groupBy=campaign`);
    expect(totals).toEqual({
      visits: 6,
      clicks: 0,
      ctr: 0,
      pending: 0,
      pendingRevenue: 0,
      conversions: 4,
      revenue: 13.25,
      cost: 0.3,
      profit: 12.95,
      cr: 0.666667,
      epc: 2.208333,
      roi: 43.166667,
    });
    expect(rows).toEqual([expect.objectContaining({ key: campaignId, ...totals })]);
  });

  it("days: the back-dated upload falls on its local day, the rest on today", async () => {
    const { rows } = await getJson(`/report?${range()}&groupBy=day`);
    const active = rows.filter((r: any) => r.visits || r.conversions || r.revenue);
    expect(active.map((r: any) => [r.key, r.visits, r.conversions, r.revenue])).toEqual([
      [tz === "UTC" ? "2026-06-10" : "2026-06-11", 0, 1, 7],
      [localDay(tz, Date.now()), 6, 3, 6.25],
    ]);
  });

  it("the list and the CSV hold the same conversions, adding up to the report", async () => {
    const { conversions, nextCursor } = await getJson(`/conversions?${range()}`);
    expect(nextCursor).toBeNull();
    expect(conversions).toHaveLength(5);
    const micros = conversions.reduce((sum: number, c: any) => sum + Math.round(c.payout * 1e6), 0);
    expect(micros).toBe(13_250_000);
    expect(conversions.filter((c: any) => c.type !== "install")).toHaveLength(4);
    expect(conversions.map((c: any) => c.source).sort()).toEqual([
      "postback",
      "postback",
      "upload",
      "upload",
      "upload",
    ]);
    const res = await api("GET", `/conversions?${range()}&format=csv`);
    const records = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => [r.id, r.clickId, r.payout, r.type, r.conversionTime])).toEqual(
      conversions.map((c: any) => [c.id, c.clickId, String(c.payout), c.type ?? "", c.conversionTime]),
    );
  });
});
