import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, call, click, eventually, setupCampaign } from "./helpers";

const conversionRows = (clickId: string) =>
  env.DB.prepare("SELECT * FROM conversions WHERE click_id = ?").bind(clickId).all<Record<string, unknown>>().then((r) => r.results);

async function postback(query: string, init: RequestInit = {}) {
  const res = await call(`/postback?${query}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("GET /postback", () => {
  it("registers a conversion once; a retry is a duplicate", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const first = await postback(`cid=${clickId}&payout=1.25`);
    expect(first).toEqual({ status: 200, body: { status: "accepted", conversionId: expect.any(String) } });
    const again = await postback(`cid=${clickId}&payout=1.25`);
    expect(again).toEqual({ status: 200, body: { status: "duplicate" } });
    const rows = await conversionRows(clickId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first.body.conversionId, payout_micros: 1_250_000, source: "postback", campaign_id: campaign.id });
  });
});
