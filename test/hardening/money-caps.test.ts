import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, click, eventually, setupCampaign } from "../helpers";
import { getJson } from "../report-helpers";

// Sums of payouts stay exact integers: one conversion and one click ID's conversions are capped.

const postback = async (query: string) => {
  const res = await call(`/postback?${query}`);
  return { status: res.status, body: (await res.json()) as { status?: string; error?: string } };
};

const storedFor = async (clickId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM conversions WHERE click_id = ?")
    .bind(clickId)
    .first<{ n: number }>())!.n;

const revenue = async (campaignId: number) =>
  (await getJson(`/report?campaignId=${campaignId}&groupBy=campaign`)).totals.revenue as number;

describe("payout caps", () => {
  it("a payout over 1,000,000 is a 400 naming the field, on the postback, the pixel and the upload", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    for (const [name, value] of [
      ["payout", "1000000.000001"],
      ["revenue", "1000000000"],
      ["payout", "-1000001"],
    ]) {
      const r = await postback(`cid=${clickId}&${name}=${value}`);
      expect(r.status, `${name}=${value}`).toBe(400);
      expect(r.body.error).toMatch(new RegExp(`^${name}: must be at most 1000000`));
    }
    const pixel = await call(`/pixel.gif?cid=${clickId}&payout=5000000`);
    expect(pixel.status).toBe(200);
    const up = await call("/api/conversions/upload", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "text/plain" },
      body: `${clickId},1000000.5`,
    });
    const upBody = (await up.json()) as any;
    expect(upBody.lines).toEqual([
      expect.objectContaining({
        line: 1,
        status: "rejected",
        error: expect.stringMatching(/^payout: must be at most 1000000/),
      }),
    ]);
    expect(await storedFor(clickId)).toBe(0);
    expect((await postback(`cid=${clickId}&payout=1000000`)).body.status).toBe("accepted");
  });

  it("one click ID's conversions pay at most 10,000,000 in all; the report stays exact after chargebacks", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const big = "999999.999999";
    for (let i = 1; i <= 10; i++)
      expect((await postback(`cid=${clickId}&payout=${big}&txid=t${i}`)).body.status, `t${i}`).toBe("accepted");
    const eleventh = await postback(`cid=${clickId}&payout=${big}&txid=t11`);
    expect(eleventh.status).toBe(400);
    expect(eleventh.body.error).toMatch(/^payout: this click ID's conversions would pay more than 10000000/);
    // Nor through the upload, one line at a time or many.
    const up = await call("/api/conversions/upload", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "text/plain" },
      body: Array.from({ length: 5 }, (_, i) => `${clickId},1000000,u${i}`).join("\n"),
    });
    expect(((await up.json()) as any).summary).toMatchObject({ accepted: 0, rejected: 5 });
    expect(await storedFor(clickId)).toBe(10);
    expect(
      await eventually(
        () => revenue(campaign.id),
        (r) => r === 9999999.99999,
      ),
    ).toBe(9999999.99999);
    // A chargeback lowers the total, and a rejection never needs room.
    expect((await postback(`cid=${clickId}&txid=t1&status=chargeback`)).body.status).toBe("updated");
    expect(
      await eventually(
        () => revenue(campaign.id),
        (r) => r === 8999999.999991,
      ),
    ).toBe(8999999.999991);
  });
});
