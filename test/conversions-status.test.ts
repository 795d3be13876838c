import { beforeAll, describe, expect, it } from "vitest";
import { api, setupCampaign } from "./helpers";
import { adminPage, hrefs, sessionCookie } from "./page-helpers";
import { daysQuery, getJson, insertConversions } from "./report-helpers";

/** A minute ago: two approved (1,000.00 and 2.50), one pending (4.00), one rejected (1.00). */
let cookie = "";
let clickId = "";

beforeAll(async () => {
  cookie = await sessionCookie();
  const { campaign, offer } = await setupCampaign({}, { name: "Statuses" });
  const at = Date.now() - 60_000;
  const base = { campaignId: campaign.id, offerId: offer.id, at };
  [clickId] = await insertConversions([
    { ...base, payoutMicros: 1_000_000_000 },
    { ...base, payoutMicros: 2_500_000 },
    { ...base, payoutMicros: 4_000_000, status: "pending" },
    { ...base, payoutMicros: 1_000_000, status: "rejected" },
  ]).then(async (ids) => {
    const list = await getJson(`/conversions?${daysQuery()}`);
    return list.conversions.filter((c: any) => ids.includes(c.id)).map((c: any) => c.clickId);
  });
});

describe("the conversions list by status", () => {
  it("GET /api/conversions?status= keeps that status only; a wrong one is a 400 naming it", async () => {
    const pending = await getJson(`/conversions?${daysQuery()}&status=pending`);
    expect(pending.conversions.map((c: any) => [c.status, c.payout])).toEqual([["pending", 4]]);
    const bad = await api("GET", `/conversions?status=won`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).issues[0].path).toBe("status");
  });

  it("the page filters by status, totals every status, and links click IDs to the lookup", async () => {
    const all = await adminPage(`/admin/conversions?${daysQuery()}`, cookie);
    const totals = /<p id="conversion-totals">(.*?)<\/p>/s.exec(all.html)![1]!.replace(/<[^>]+>/g, "");
    expect(totals).toContain("4 conversions");
    expect(totals).toContain("approved 2, $1,002.50");
    expect(totals).toContain("pending 1, $4.00");
    expect(hrefs(all.html)).toContain(`/admin/visits?clickId=${clickId}`);
    const rejected = await adminPage(`/admin/conversions?${daysQuery()}&status=rejected`, cookie);
    expect(rejected.html).toMatch(/<option value="rejected" selected/);
    expect((rejected.html.match(/<tr>/g) ?? []).length).toBe(2); // header and one row
  });
});
