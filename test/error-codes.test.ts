import { describe, expect, it } from "vitest";
import { ADMIN, api, call, click, setupCampaign } from "./helpers";

// Scripts branch on `code`, never on the English in `error`: every refusal carries one.
describe("error codes", () => {
  it("names the kind of refusal on the API, the postback and the redirect", async () => {
    const bad = await call("/api/offers", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ name: "", url: "ftp://x" }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "invalid_parameter", issues: expect.any(Array) });

    const missing = await api("GET", "/offers/999999");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "not_found" });

    const noAuth = await call("/api/offers");
    expect(await noAuth.json()).toMatchObject({ code: "unauthorized" });

    const postback = await call("/postback?cid=not-a-click-id");
    expect(postback.status).toBe(400);
    expect(await postback.json()).toMatchObject({ code: "invalid_parameter", error: expect.stringMatching(/^cid:/) });

    const unknownCampaign = await call("/c/999999", { redirect: "manual" });
    expect(unknownCampaign.status).toBe(404);
    expect(await unknownCampaign.json()).toMatchObject({ code: "not_found" });
  });

  it("answers 403 forbidden for a postback without the configured secret", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    await api("PATCH", "/settings", { postbackSecret: "s3cret" });
    const res = await call(`/postback?cid=${clickId}`);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "forbidden" });
  });
});
