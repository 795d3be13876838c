import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_LINES } from "../src/features/upload/parse";
import { mintClickId } from "../src/lib/clickid";
import { ADMIN, call, setupCampaign } from "./helpers";

function upload(body: BodyInit, query = ""): Promise<Response> {
  return call(`/api/conversions/upload${query}`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "text/plain" },
    body,
  });
}

const campaignCount = (campaignId: number) =>
  env.DB.prepare("SELECT count(*) AS n FROM conversions WHERE campaign_id = ?")
    .bind(campaignId)
    .first<{ n: number }>()
    .then((r) => r!.n);

/** `n` distinct click IDs of one campaign, minted as the redirect would (no visit rows needed). */
async function clickIds(n: number, campaignId: number, offerId: number): Promise<string[]> {
  const visitTime = Date.now() - 60_000;
  return Promise.all(
    Array.from({ length: n }, () => mintClickId(env.CLICKID_SECRET, { visitTime, campaignId, offerId })),
  );
}

describe("upload limits", () => {
  it("documents 100,000 lines and 16 MiB", () => {
    expect(MAX_UPLOAD_LINES).toBe(100_000);
    expect(MAX_UPLOAD_BYTES).toBe(16 * 1024 * 1024);
  });

  it("accepts and registers an upload of 100,000 lines", async () => {
    const { campaign, offer } = await setupCampaign();
    const ids = await clickIds(MAX_UPLOAD_LINES, campaign.id, offer.id);
    // The usual shape: click ID, payout, transaction ID, type left empty, conversion time.
    const text = ids.map((id, i) => `${id},1.25,order-${i},,2026-11-20T10:15:30Z`).join("\r\n");
    expect(text.length).toBeLessThan(MAX_UPLOAD_BYTES);
    const res = await upload(text);
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.summary).toEqual({ total: 100_000, accepted: 100_000, updated: 0, duplicate: 0, rejected: 0 });
    expect(await campaignCount(campaign.id)).toBe(100_000);
  }, 120_000);

  it("answers 413 to more than 100,000 lines, registering none of them", async () => {
    const { campaign, offer } = await setupCampaign();
    const [id] = await clickIds(1, campaign.id, offer.id);
    const text = `${id},1\n` + "x\n".repeat(MAX_UPLOAD_LINES);
    const res = await upload(text);
    expect(res.status).toBe(413);
    expect((await res.json<any>()).error).toMatch(/at most 100,000 lines/);
    expect(await campaignCount(campaign.id)).toBe(0);
  });

  it("answers 413 to a body over 16 MiB, registering none of it, whether its length is declared or streamed", async () => {
    const { campaign, offer } = await setupCampaign();
    const [id] = await clickIds(1, campaign.id, offer.id);
    const text = `${id},1\n` + " ".repeat(MAX_UPLOAD_BYTES);
    expect((await upload(text)).status).toBe(413);
    const bytes = new TextEncoder().encode(text);
    const streamed = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1 << 20) controller.enqueue(bytes.subarray(i, i + (1 << 20)));
        controller.close();
      },
    });
    const res = await call("/api/conversions/upload", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "text/plain" },
      body: streamed,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json<any>()).error).toMatch(/16 MiB/);
    expect(await campaignCount(campaign.id)).toBe(0);
  });
});
