import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_CLICK_VALUE, NEW_VALUES_PER_ADDRESS } from "../../src/click/value-budget";
import { verifyClickId } from "../../src/lib/clickid";
import { getVisit } from "../../src/visits/queries";
import { call, eventually, setupCampaign } from "../helpers";

// What an anonymous click may add to D1 is bounded: short values, a budget of new values per address.

async function clickFrom(campaignId: number, query: string, ip?: string) {
  const res = await call(`/c/${campaignId}?${query}`, { headers: ip ? { "cf-connecting-ip": ip } : {} });
  expect(res.status).toBe(302);
  return /ct_cid=([A-Za-z0-9_-]+)/.exec(res.headers.get("set-cookie") ?? "")![1]!;
}

async function stored(clickId: string) {
  const { visitTime } = (await verifyClickId(env.CLICKID_SECRET, clickId))!;
  const visit = await eventually(() => getVisit(env.DB, clickId, visitTime), Boolean, 10_000);
  expect(visit).not.toBeNull();
  return visit!;
}

const random = (n: number) => Array.from({ length: n }, () => Math.random().toString(36).slice(2, 3)).join("");

describe("what a click stores", () => {
  it("keeps at most 255 characters of each var and of externalid, without control characters", async () => {
    const { campaign } = await setupCampaign();
    const vars = Array.from({ length: 10 }, (_, i) => `var${i + 1}=${random(1000)}`).join("&");
    const clickId = await clickFrom(campaign.id, `${vars}&externalid=${random(1000)}`);
    const visit = await stored(clickId);
    expect(visit.externalId).toHaveLength(MAX_CLICK_VALUE);
    for (let i = 1; i <= 10; i++) expect(visit.attributes[`var${i}`], `var${i}`).toHaveLength(MAX_CLICK_VALUE);
    const dirty = await stored(await clickFrom(campaign.id, "var1=%00a%1Bb%0A%3D1%2B1&externalid=x%7F%C2%85y"));
    expect(dirty.attributes.var1).toBe("ab=1+1");
    expect(dirty.externalId).toBe("xy");
  });

  it("an address past its budget of new values gets hashed, marked values; a value seen before stays", async () => {
    const { campaign } = await setupCampaign();
    const ip = "198.51.100.7";
    // Ten values per click: the budget lasts NEW_VALUES_PER_ADDRESS / 10 clicks.
    const clicks = NEW_VALUES_PER_ADDRESS / 10;
    const tenNew = () => Array.from({ length: 10 }, (_, i) => `var${i + 1}=${random(40)}`).join("&");
    const within = [];
    for (let k = 0; k < clicks; k++) within.push(await clickFrom(campaign.id, tenNew(), ip));
    const over = await clickFrom(campaign.id, tenNew(), ip);
    const known = await clickFrom(campaign.id, "var1=zone-7", "203.0.113.1");
    const knownAgain = await clickFrom(campaign.id, "var1=zone-7", ip);
    const other = await clickFrom(campaign.id, "var1=fresh-value", "2001:db8:1:2::5");
    for (const id of within) expect((await stored(id)).attributes.var1).toMatch(/^[0-9a-z]{40}$/);
    const overVisit = await stored(over);
    for (let i = 2; i <= 10; i++) expect(overVisit.attributes[`var${i}`]).toMatch(/^…#[0-9a-f]{3}$/);
    expect((await stored(knownAgain)).attributes.var1).toBe("zone-7");
    expect((await stored(known)).attributes.var1).toBe("zone-7");
    expect((await stored(other)).attributes.var1).toBe("fresh-value");
  });
});
