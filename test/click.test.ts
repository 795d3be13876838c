import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyClickId } from "../src/lib/clickid";
import { countVisits, getVisit } from "../src/visits/queries";
import { api, call, click, createCampaign, createOffer, eventually, setupCampaign } from "./helpers";

describe("GET /c/:campaignId", () => {
  it("redirects to the offer with a verifiable click ID, no-store and a pixel cookie", async () => {
    const { campaign, offer } = await setupCampaign({
      url: "https://offer.example/lp?cid={clickid}&c={campaign.id}&o={offer.id}",
    });
    const { res, clickId } = await click(campaign.id);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("location")).toBe(`https://offer.example/lp?cid=${clickId}&c=${campaign.id}&o=${offer.id}`);
    expect(res.headers.get("set-cookie")).toMatch(/ct_cid=.*HttpOnly.*Secure.*SameSite=None/i);
    const data = await verifyClickId(env.CLICKID_SECRET, clickId);
    expect(data).toMatchObject({ campaignId: campaign.id, offerId: offer.id });
    expect(Math.abs(data!.visitTime - Date.now())).toBeLessThan(5000);
  });

  it("replaces every token with URL-encoded values and leaves unknown tokens alone", async () => {
    const vars = Array.from({ length: 10 }, (_, i) => `v${i + 1}={var${i + 1}}`).join("&");
    const { campaign } = await setupCampaign({
      url: `https://offer.example/?${vars}&x={externalid}&cc={country.code}&u={unknown}&s={sub1}`,
    });
    const query = Array.from({ length: 10 }, (_, i) => `var${i + 1}=${encodeURIComponent(`val ${i + 1}&é`)}`).join("&");
    const { res } = await click(campaign.id, `?${query}&externalid=ext%2F1`);
    const location = res.headers.get("location")!;
    for (let i = 1; i <= 10; i++) expect(location).toContain(`v${i}=${encodeURIComponent(`val ${i}&é`)}`);
    expect(location).toContain("x=ext%2F1");
    expect(location).toContain("&cc=&"); // no request.cf country in tests: empty, not the raw token
    expect(location).toContain("u={unknown}&s={sub1}");
  });

  it("never lets var values change the redirect target or expand other tokens", async () => {
    const { campaign } = await setupCampaign({ url: "https://offer.example/path?a={var1}" });
    for (const evil of [
      "https://evil.example/",
      "//evil.example",
      "{clickid}",
      "x#@evil.example",
      "\r\nSet-Cookie: a=b",
      "%0d%0a",
    ]) {
      const { res } = await click(campaign.id, `?var1=${encodeURIComponent(evil)}`);
      const location = new URL(res.headers.get("location")!);
      expect(location.origin).toBe("https://offer.example");
      expect(location.pathname).toBe("/path");
      // Control characters never reach storage or the offer (docs/security.md); the rest passes as sent.
      expect(location.searchParams.get("a")).toBe(evil.replace(/\p{Cc}/gu, ""));
      expect(res.headers.get("set-cookie")).not.toContain("a=b");
    }
  });

  it("answers 404 without a redirect for unknown, malformed and archived campaigns", async () => {
    const { campaign } = await setupCampaign();
    await api("DELETE", `/campaigns/${campaign.id}`);
    for (const id of [String(campaign.id), "999999", "abc", "1;DROP TABLE visits", "-1", "99999999999999"]) {
      const res = await call(`/c/${encodeURIComponent(id)}`);
      expect(res.status, id).toBe(404);
      expect(res.headers.get("location")).toBeNull();
    }
  });

  it("skips archived offers and 404s when none is left", async () => {
    const a = await createOffer({ url: "https://a.example/" });
    const b = await createOffer({ url: "https://b.example/" });
    const campaign = await createCampaign([
      { offerId: a.id, weight: 1 },
      { offerId: b.id, weight: 1 },
    ]);
    await api("DELETE", `/offers/${a.id}`);
    for (let i = 0; i < 10; i++)
      expect((await click(campaign.id)).res.headers.get("location")).toBe("https://b.example/");
    await api("DELETE", `/offers/${b.id}`);
    expect((await call(`/c/${campaign.id}`)).status).toBe(404);
  });

  it("rotates offers by weight", async () => {
    const a = await createOffer({ url: "https://a.example/" });
    const b = await createOffer({ url: "https://b.example/" });
    const campaign = await createCampaign([
      { offerId: a.id, weight: 3 },
      { offerId: b.id, weight: 1 },
    ]);
    let toA = 0;
    const n = 400;
    for (let i = 0; i < n; i++)
      if ((await click(campaign.id)).res.headers.get("location") === "https://a.example/") toA++;
    // Expected 300; the bounds are more than 5 standard deviations (~8.7) wide.
    expect(toA).toBeGreaterThan(250);
    expect(toA).toBeLessThan(350);
  });

  it("records the visit with campaign, offer, user agent, referrer domain, var1…var10, external ID and cost", async () => {
    const { campaign, offer } = await setupCampaign({}, { costPerClick: 0.0125 });
    const res = await call(`/c/${campaign.id}?var1=a&utm_source=push&externalid=x9`, {
      headers: { "user-agent": "UA/1.0", referer: "https://www.Ref.example/page?q=1" },
    });
    const clickId = /ct_cid=([^;]+)/.exec(res.headers.get("set-cookie")!)![1]!;
    const { visitTime } = (await verifyClickId(env.CLICKID_SECRET, clickId))!;
    const visit = await eventually(() => getVisit(env.DB, clickId, visitTime), Boolean);
    expect(visit).toMatchObject({
      clickId,
      campaignId: campaign.id,
      offerId: offer.id,
      userAgent: "UA/1.0",
      externalId: "x9",
      costMicros: 12_500,
      attributes: { referrerDomain: "ref.example", var1: "a", var2: null },
    });
  });

  it("loses no visit: N concurrent clicks leave N visits", async () => {
    const { campaign } = await setupCampaign();
    const n = 200;
    const results = await Promise.all(Array.from({ length: n }, () => click(campaign.id)));
    expect(new Set(results.map((r) => r.clickId)).size).toBe(n);
    const visits = await eventually(
      () => countVisits(env.DB, campaign.id),
      (count) => count >= n,
    );
    expect(visits).toBe(n);
  });
});
