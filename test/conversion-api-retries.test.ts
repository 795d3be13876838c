import { describe, expect, it } from "vitest";
import {
  apiCampaign,
  callsOf,
  consume,
  GOOGLE,
  META,
  platform,
  TIKTOK,
  visit,
  writeUnqueued,
} from "./conversion-api-helpers";
import {
  clickAndStore,
  convert,
  deliveryRow,
  sourcedCampaign,
  standIn,
  waitForDelivery,
} from "./source-postback-helpers";

/** A conversion of a visit carrying `query`, stored with its delivery but not queued. */
async function unqueued(conversionApi: Record<string, unknown>, query: string) {
  const { campaign, offer } = await apiCampaign(conversionApi);
  const { clickId } = await visit(campaign.id, query);
  const id = await writeUnqueued(clickId, campaign, offer);
  return { id, clickId, campaign, offer, deliveryId: `${id}:approved:${conversionApi.type}` };
}

describe("conversion APIs: retries", () => {
  it("retries a 5xx and a 429 with the schedule's delays, then delivers once the platform takes it", async () => {
    const meta = platform();
    const d = await unqueued(META(meta.endpoint), "?fbclid=fb-retry");
    await meta.script([
      { status: 500, body: { error: { message: "Please retry your request later." } } },
      { status: 429, body: { error: { message: "User request limit reached" } } },
    ]);
    expect((await consume(d.deliveryId, 1)).retryMessages).toEqual([{ msgId: "msg-0", delaySeconds: undefined }]);
    expect(await deliveryRow(d.deliveryId)).toMatchObject({
      state: "pending",
      lastHttpStatus: 500,
      lastError: "HTTP 500: Please retry your request later.",
    });
    expect((await consume(d.deliveryId, 2)).retryMessages).toHaveLength(1);
    expect(await deliveryRow(d.deliveryId)).toMatchObject({ state: "pending", lastHttpStatus: 429 });
    const last = await consume(d.deliveryId, 3);
    expect(last.retryMessages).toEqual([]);
    expect(await deliveryRow(d.deliveryId)).toMatchObject({
      state: "delivered",
      attempts: 3,
      lastHttpStatus: 200,
      lastError: null,
    });
    expect((await callsOf(meta, 3)).map((c) => c.body.data[0].event_id)).toEqual([d.id, d.id, d.id]);
  });

  it("fails a 4xx at once with Meta's message, without retry", async () => {
    const meta = platform();
    const d = await unqueued(META(meta.endpoint), "?fbclid=fb-400");
    await meta.script([{ status: 400, body: { error: { message: "Invalid OAuth access token.", code: 190 } } }]);
    const result = await consume(d.deliveryId);
    expect(result.retryMessages).toEqual([]);
    expect(await deliveryRow(d.deliveryId)).toMatchObject({
      state: "failed",
      attempts: 1,
      lastHttpStatus: 400,
      lastError: "HTTP 400: Invalid OAuth access token.",
    });
  });

  it("fails TikTok's code other than 0 (answered with HTTP 200), with its message", async () => {
    const tiktok = platform();
    const d = await unqueued(TIKTOK(tiktok.endpoint), "?ttclid=tt-bad");
    await tiktok.script([
      { status: 200, body: { code: 40001, message: "Access token is incorrect or has been revoked." } },
    ]);
    expect((await consume(d.deliveryId)).retryMessages).toEqual([]);
    expect(await deliveryRow(d.deliveryId)).toMatchObject({
      state: "failed",
      lastHttpStatus: 200,
      lastError: "TikTok code 40001: Access token is incorrect or has been revoked.",
    });
  });

  it("fails Google's partialFailureError (answered with HTTP 200), with its message", async () => {
    const google = platform();
    const d = await unqueued(GOOGLE(google.endpoint), "?gclid=g-partial");
    await google.script([
      { status: 200, body: { access_token: "scripted", expires_in: 3599 } },
      { status: 200, body: { partialFailureError: { code: 3, message: "The click was not found." }, results: [{}] } },
    ]);
    expect((await consume(d.deliveryId)).retryMessages).toEqual([]);
    expect(await deliveryRow(d.deliveryId)).toMatchObject({
      state: "failed",
      lastError: "partial failure: The click was not found.",
    });
  });
});

describe("conversion APIs: Google's token and retraction", () => {
  it("reuses the access token until it expires, then asks for a new one", async () => {
    const google = platform();
    const { campaign, offer } = await apiCampaign(GOOGLE(google.endpoint));
    const { clickId } = await visit(campaign.id, "?gclid=g-token");
    const upload = async () => consume(`${await writeUnqueued(clickId, campaign, offer)}:approved:google`);
    // Tokens that live 30 s have less than the minute a token must have left: each upload asks again.
    await google.tokenLifetime(30);
    await upload();
    await upload();
    // Tokens of an hour: one more is asked for (the cached one is too short), then reused.
    await google.tokenLifetime(3599);
    for (let i = 0; i < 3; i++) await upload();
    const calls = await google.calls();
    expect(calls.map((c) => c.path.split(":").pop())).toEqual([
      "/token",
      "uploadClickConversions",
      "/token",
      "uploadClickConversions",
      "/token",
      "uploadClickConversions",
      "uploadClickConversions",
      "uploadClickConversions",
    ]);
    const bearer = calls.filter((c) => c.path !== "/token").map((c) => c.headers.authorization);
    expect(new Set(bearer).size).toBe(3);
    expect(bearer[2]).toBe(bearer[4]);
    expect(calls.every((c) => c.problems.length === 0 && c.status === 200)).toBe(true);
  });

  it("retracts an approved conversion later rejected: uploadConversionAdjustments, RETRACTION, the same orderId", async () => {
    const google = platform();
    const { campaign } = await apiCampaign(GOOGLE(google.endpoint));
    const { clickId } = await visit(campaign.id, "?gclid=g-retract");
    const { conversionId } = await convert(clickId, { txid: "r-1", payout: "9" });
    await waitForDelivery(conversionId!, (x) => x.conversionStatus === "approved" && x.status === "delivered");
    expect(await convert(clickId, { txid: "r-1", status: "chargeback" })).toMatchObject({ status: "updated" });
    const retraction = await waitForDelivery(
      conversionId!,
      (x) => x.conversionStatus === "rejected" && x.status === "delivered",
    );
    expect(retraction).toMatchObject({
      id: `${conversionId}:rejected:google`,
      kind: "google",
      url: `${google.endpoint}/v26/customers/1234567890:uploadConversionAdjustments`,
    });
    const calls = await callsOf(google, 3);
    expect(calls[2]!.problems).toEqual([]);
    expect(calls[2]!.body).toEqual({
      conversionAdjustments: [
        {
          conversionAction: "customers/1234567890/conversionActions/987654",
          adjustmentType: "RETRACTION",
          orderId: conversionId,
          adjustmentDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/),
        },
      ],
      partialFailure: true,
    });
  });
});

describe("which statuses reach the source's postback URL", () => {
  it("a lead and then its sale make one call by default (approved only), and each status when the source asks", async () => {
    const once = standIn();
    const every = standIn();
    const byDefault = await sourcedCampaign({ postbackUrl: once.url("/pb?s={status}") });
    const all = await sourcedCampaign({
      postbackUrl: every.url("/pb?s={status}"),
      postbackStatuses: ["pending", "approved"],
    });
    for (const { campaign } of [byDefault, all]) {
      const clickId = await clickAndStore(campaign.id);
      await convert(clickId, { txid: "lead-1", status: "lead" });
      const { conversionId } = await convert(clickId, { txid: "lead-1", status: "sale" });
      expect(conversionId).toBeDefined();
      await waitForDelivery(conversionId!, (x) => x.conversionStatus === "approved" && x.status === "delivered");
    }
    expect((await once.calls()).map((c) => c.url.split("?")[1])).toEqual(["s=approved"]);
    expect((await every.calls()).map((c) => c.url.split("?")[1])).toEqual(["s=pending", "s=approved"]);
  });
});
