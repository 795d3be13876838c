import { describe, expect, it } from "vitest";
import { apiCampaign, callsOf, GOOGLE, META, platform, TIKTOK, VISITOR, visit } from "./conversion-api-helpers";
import { api, eventually } from "./helpers";
import { convert, listDeliveries, waitForDelivery } from "./source-postback-helpers";

/** Account currency USD with 1 EUR = 1.08 USD: a 7.99 EUR payout is 8.6292 USD, sent as 8.63. */
async function euroAccount() {
  const res = await api("PATCH", "/settings", { currency: "USD", currencyRates: { EUR: "1.08" } });
  expect(res.status).toBe(200);
}

describe("conversion APIs: an approved conversion reaches the platform with the exact fields", () => {
  it("Meta: a Purchase with event_id = conversion ID, fbc built from the visit's fbclid, IP, UA, value and currency", async () => {
    await euroAccount();
    const meta = platform();
    const { campaign } = await apiCampaign(META(meta.endpoint));
    const { clickId, visitTime } = await visit(campaign.id, "?fbclid=IwAR2F4-dbP0l7Mn1Iaw_Q");
    const before = Math.floor(Date.now() / 1000);
    const { conversionId } = await convert(clickId, { payout: "7.99", currency: "EUR", txid: "m-1" });
    const d = await waitForDelivery(conversionId!, (x) => x.status === "delivered");
    expect(d).toMatchObject({
      id: `${conversionId}:approved:meta`,
      kind: "meta",
      conversionStatus: "approved",
      url: `${meta.endpoint}/v25.0/123456789012345/events`,
      attempts: 1,
      lastHttpStatus: 200,
      lastError: null,
    });
    const [call] = await callsOf(meta, 1);
    expect(call!.problems).toEqual([]);
    expect(call!.query).toEqual({ access_token: "EAAB-meta-secret-token" });
    expect(call!.body).toEqual({
      data: [
        {
          event_name: "Purchase",
          event_time: expect.any(Number),
          event_id: conversionId,
          action_source: "website",
          user_data: {
            fbc: `fb.1.${visitTime}.IwAR2F4-dbP0l7Mn1Iaw_Q`,
            client_ip_address: VISITOR["CF-Connecting-IP"],
            client_user_agent: VISITOR["User-Agent"],
          },
          custom_data: { value: 8.63, currency: "USD" },
        },
      ],
    });
    expect(call!.body.data[0].event_time).toBeGreaterThanOrEqual(before);
    expect(call!.body.data[0].event_time).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
  });

  it("Meta: the lander's own _fbc and _fbp are sent as they are, and a type's event name replaces Purchase", async () => {
    const meta = platform();
    const { campaign } = await apiCampaign(META(meta.endpoint, { eventNames: { default: "Purchase", lead: "Lead" } }));
    await api("POST", "/conversion-types", { name: "lead", includeInConversions: true });
    const fbc = "fb.1.1554763741205.AbCdEf";
    const fbp = "fb.1.1558571054389.1098115397";
    const { clickId } = await visit(campaign.id, `?fbc=${fbc}&fbp=${fbp}`);
    const { conversionId } = await convert(clickId, { et: "lead", payout: "2" });
    await waitForDelivery(conversionId!, (x) => x.status === "delivered");
    const [call] = await callsOf(meta, 1);
    expect(call!.body.data[0]).toMatchObject({
      event_name: "Lead",
      user_data: { fbc, fbp },
      custom_data: { value: 2 },
    });
  });

  it("TikTok: CompletePayment with the Access-Token header, ttclid, IP, UA, value and currency", async () => {
    const tiktok = platform();
    const { campaign } = await apiCampaign(TIKTOK(tiktok.endpoint));
    const { clickId } = await visit(campaign.id, "?ttclid=E.C.P.tt-123");
    const { conversionId } = await convert(clickId, { payout: "12.5" });
    const d = await waitForDelivery(conversionId!, (x) => x.status === "delivered");
    expect(d).toMatchObject({ kind: "tiktok", url: `${tiktok.endpoint}/open_api/v1.3/event/track/` });
    const [call] = await callsOf(tiktok, 1);
    expect(call!.problems).toEqual([]);
    expect(call!.headers["access-token"]).toBe("tiktok-secret-token");
    expect(call!.body).toEqual({
      event_source: "web",
      event_source_id: "C4ABCDEF12345",
      data: [
        {
          event: "CompletePayment",
          event_time: expect.any(Number),
          event_id: conversionId,
          user: { ttclid: "E.C.P.tt-123", ip: "203.0.113.7", user_agent: VISITOR["User-Agent"] },
          properties: { value: 12.5, currency: "USD" },
        },
      ],
    });
  });

  it("Google Ads: a token from the refresh token, then the click conversion with gclid, UTC time, value and orderId", async () => {
    const google = platform();
    const { campaign } = await apiCampaign(GOOGLE(google.endpoint, { loginCustomerId: "111-222-3333" }));
    const { clickId } = await visit(campaign.id, "?gclid=Cj0KCQ-gclid");
    const { conversionId } = await convert(clickId, { payout: "3.10" });
    const d = await waitForDelivery(conversionId!, (x) => x.status === "delivered");
    expect(d).toMatchObject({
      kind: "google",
      url: `${google.endpoint}/v26/customers/1234567890:uploadClickConversions`,
    });
    const [token, upload] = await callsOf(google, 2);
    expect(token!.path).toBe("/token");
    expect(token!.body).toEqual({
      grant_type: "refresh_token",
      client_id: "client-1.apps.googleusercontent.com",
      client_secret: "google-client-secret",
      refresh_token: "1//google-refresh-token",
    });
    expect(upload!.problems).toEqual([]);
    expect(upload!.headers).toMatchObject({
      authorization: expect.stringMatching(/^Bearer standin-token-\d+$/),
      "developer-token": "google-dev-token",
      "login-customer-id": "1112223333",
    });
    expect(upload!.body).toEqual({
      conversions: [
        {
          gclid: "Cj0KCQ-gclid",
          conversionAction: "customers/1234567890/conversionActions/987654",
          conversionDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/),
          conversionValue: 3.1,
          currencyCode: "USD",
          orderId: conversionId,
        },
      ],
      partialFailure: true,
    });
  });

  it("Google Ads: gbraid or wbraid when the visit has no gclid", async () => {
    const google = platform();
    const { campaign } = await apiCampaign(GOOGLE(google.endpoint));
    const { clickId } = await visit(campaign.id, "?wbraid=wb-1");
    const { conversionId } = await convert(clickId);
    await waitForDelivery(conversionId!, (x) => x.status === "delivered");
    const calls = await callsOf(google, 2);
    expect(calls[1]!.body.conversions[0]).toMatchObject({ wbraid: "wb-1" });
    expect(calls[1]!.body.conversions[0].gclid).toBeUndefined();
  });
});

describe("conversion APIs: when nothing is sent", () => {
  it("a visit without the platform's click ID: no delivery, no call", async () => {
    const meta = platform();
    const { campaign } = await apiCampaign(META(meta.endpoint));
    const { clickId } = await visit(campaign.id, "?gclid=google-only");
    const { conversionId } = await convert(clickId);
    // Stored with the conversion, dropped by the consumer once it sees the visit.
    const left = await eventually(
      async () => (await listDeliveries("?limit=500")).deliveries.filter((d) => d.conversionId === conversionId),
      (list) => list.length === 0,
      25_000,
    );
    expect(left).toEqual([]);
    expect(await meta.calls()).toEqual([]);
  });

  it("a type postbackFor leaves out (not counted in conversions) sends nothing; with 'all' it is sent", async () => {
    await api("POST", "/conversion-types", { name: "view", includeInConversions: false });
    const counted = platform();
    const every = platform();
    const byDefault = await apiCampaign(META(counted.endpoint));
    const all = await apiCampaign(META(every.endpoint), { postbackFor: "all" });
    const ids: string[] = [];
    for (const { campaign } of [byDefault, all]) {
      const { clickId } = await visit(campaign.id, "?fbclid=fb-view");
      ids.push((await convert(clickId, { et: "view" })).conversionId!);
    }
    await waitForDelivery(ids[1]!, (x) => x.status === "delivered");
    const mine = (await listDeliveries("?limit=500")).deliveries.filter((d) => ids.includes(d.conversionId));
    expect(mine.map((d) => d.conversionId)).toEqual([ids[1]]);
    expect(await counted.calls()).toEqual([]);
    expect((await callsOf(every, 1))[0]!.body.data[0].event_name).toBe("Purchase");
  });

  it("pending first, approved later: one delivery, at the approval; a later rejection sends nothing to Meta", async () => {
    const meta = platform();
    const { campaign } = await apiCampaign(META(meta.endpoint));
    const { clickId } = await visit(campaign.id, "?fbclid=fb-pending");
    const { conversionId } = await convert(clickId, { txid: "p-1", status: "pending", payout: "4" });
    expect(await convert(clickId, { txid: "p-1", status: "approved", payout: "5" })).toMatchObject({
      status: "updated",
    });
    await waitForDelivery(conversionId!, (x) => x.status === "delivered");
    expect(await convert(clickId, { txid: "p-1", status: "rejected" })).toMatchObject({ status: "updated" });
    const mine = (await listDeliveries("?limit=500")).deliveries.filter((d) => d.conversionId === conversionId);
    expect(mine.map((d) => d.id)).toEqual([`${conversionId}:approved:meta`]);
    const calls = await callsOf(meta, 1);
    expect(calls[0]!.body.data[0].custom_data.value).toBe(5);
  });
});
