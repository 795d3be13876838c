import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminSession, api, pageErrors, setupCampaign } from "../helpers";

// A key zod would drop without a word ("__proto__") must be refused by name, never ignored.

const updates = async () => (await env.DB.prepare("SELECT count(*) AS n FROM cost_updates").first<{ n: number }>())!.n;

describe("reserved keys in objects keyed by outside input", () => {
  it("a cost update filtered by __proto__ is a 400 naming it, not an update of the whole campaign", async () => {
    const { campaign } = await setupCampaign();
    const body = { campaignId: campaign.id, from: "2026-11-20", to: "2026-11-20", tz: "UTC", amount: 5 };
    for (const filters of ['{"__proto__":"x"}', '{"constructor":"x"}', '{"var1":"a","__proto__":{"var2":"b"}}']) {
      const res = await api("POST", "/cost-updates", { ...body, filters: JSON.parse(filters) });
      const json = (await res.json()) as { error: string; issues: { path: string }[] };
      expect(res.status, filters).toBe(400);
      expect(json.issues.map((i) => i.path).join(" "), filters).toMatch(/filters\.(__proto__|constructor)/);
    }
    expect(await updates()).toBe(0);
    // The form's filter rows follow the same rule.
    const admin = await adminSession();
    const page = await admin.post("/admin/cost-updates", {
      campaignId: String(campaign.id),
      from: "2026-11-20",
      to: "2026-11-20",
      tz: "UTC",
      amount: "5",
      filter1: "__proto__",
      value1: "x",
    });
    expect(page.status).toBe(400);
    expect(pageErrors(await page.text()).join(" ")).toMatch(/__proto__/);
    expect(await updates()).toBe(0);
  });

  it("the settings form refuses a __proto__ status word by name", async () => {
    const admin = await adminSession();
    const page = await admin.post("/admin/settings", { statusMap: "__proto__ = approved\nbilled = approved" });
    expect(page.status).toBe(400);
    expect(pageErrors(await page.text()).join(" ")).toMatch(/__proto__/);
    expect(((await (await api("GET", "/settings")).json()) as any).statusMap).toEqual({});
  });
});
