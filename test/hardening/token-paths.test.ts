import { describe, expect, it } from "vitest";
import { call, setupCampaign } from "../helpers";
import { clickAndStore, convert, sourcedCampaign, standIn, waitForDelivery } from "../source-postback-helpers";

// A token's value may change a path segment's text, never which path a URL points to.

const DOTS = ["..", ".", "%2E%2E", ".%2e", "%2e."];

describe("token values and URL paths", () => {
  it("a click's var1 of '..' or '.' cannot move an offer URL to another path", async () => {
    const { campaign } = await setupCampaign({ url: "https://shop.example/a/{var1}/b?x={var1}" });
    for (const value of DOTS) {
      const res = await call(`/c/${campaign.id}?var1=${encodeURIComponent(decodeURIComponent(value))}`);
      expect(res.status).toBe(302);
      const location = res.headers.get("location")!;
      expect(new URL(location).pathname, `${value} -> ${location}`).toMatch(/^\/a\/[^/]*\/b$/);
    }
    // Two tokens in one segment, and a token beside a literal dot.
    const two = await setupCampaign({ url: "https://shop.example/a/{var1}{var2}/b/{var3}./c" });
    const res = await call(`/c/${two.campaign.id}?var1=.&var2=.&var3=.`);
    expect(new URL(res.headers.get("location")!).pathname).toBe("/a//b//c");
    // Ordinary values with dots are untouched.
    const ok = await call(`/c/${campaign.id}?var1=v1.2`);
    expect(ok.headers.get("location")).toBe("https://shop.example/a/v1.2/b?x=v1.2");
  });

  it("a source postback template /pb/{var1}/x with zone=.. still calls /pb/…/x", { timeout: 60_000 }, async () => {
    const network = standIn();
    const { campaign } = await sourcedCampaign({ postbackUrl: network.url("/pb/{var1}/x?z={var1}") });
    const clickId = await clickAndStore(campaign.id, "?clickid=e1&zone=..");
    const { conversionId } = await convert(clickId, { payout: "1" });
    const delivery = await waitForDelivery(conversionId!, (d) => d.status === "delivered");
    const url = new URL(delivery.url!);
    expect(url.pathname).toMatch(/\/pb\/\/x$/);
    expect(url.searchParams.get("z")).toBe("..");
    expect((await network.calls()).map((c) => new URL(c.url, "http://x").pathname)).toEqual([
      expect.stringMatching(/\/pb\/\/x$/),
    ]);
  });
});
