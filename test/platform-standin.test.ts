import { describe, expect, it } from "vitest";
import {
  googleRetractionRequest,
  googleUploadRequest,
  metaRequest,
  type PlatformEvent,
  type PlatformRequest,
  tiktokRequest,
} from "../src/delivery/platforms/requests";
import { type ConversionApi, conversionApiSchema } from "../src/model/conversion-api";
import { GOOGLE, META, platform, TIKTOK } from "./conversion-api-helpers";

// The stand-ins are only worth their passes if they refuse what the platforms refuse: each
// required field of the real requests, taken out or spoiled, must be refused.
const event: PlatformEvent = {
  conversionId: "conv-1",
  conversionTime: Date.now() - 5000,
  eventName: "Purchase",
  value: 8.63,
  currency: "USD",
  visit: {
    createdAt: Date.now() - 60_000,
    ip: "203.0.113.7",
    userAgent: "Mozilla/5.0",
    clickIds: { fbclid: "fb-1", ttclid: "tt-1", gclid: "g-1" },
  },
};

const parse = <T extends ConversionApi["type"]>(input: Record<string, unknown>) =>
  conversionApiSchema.parse(input) as Extract<ConversionApi, { type: T }>;

async function send(p: ReturnType<typeof platform>, request: PlatformRequest, body: unknown, url = request.url) {
  await fetch(url, {
    method: "POST",
    headers: request.headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const calls = await p.calls();
  return calls[calls.length - 1]!;
}

/** Sends the request whole, then once with each spoiled copy of its body; each copy must be refused. */
async function refusesEach(
  p: ReturnType<typeof platform>,
  request: PlatformRequest,
  spoil: Record<string, (body: any) => void>,
) {
  expect((await send(p, request, request.body)).problems).toEqual([]);
  for (const [what, change] of Object.entries(spoil)) {
    const body = JSON.parse(request.body);
    change(body);
    expect((await send(p, request, body)).problems, what).not.toEqual([]);
  }
}

describe("the conversion API stand-ins refuse a missing or malformed field", () => {
  it("Meta", async () => {
    const p = platform();
    const request = metaRequest(parse<"meta">(META(p.endpoint)), event);
    const e = (b: any) => b.data[0];
    await refusesEach(p, request, {
      data: (b) => delete b.data,
      event_name: (b) => delete e(b).event_name,
      "event_time in ms": (b) => (e(b).event_time = event.conversionTime),
      event_id: (b) => delete e(b).event_id,
      action_source: (b) => delete e(b).action_source,
      client_user_agent: (b) => delete e(b).user_data.client_user_agent,
      "fbc with seconds": (b) => (e(b).user_data.fbc = "fb.1.1554763741.fb-1"),
      client_ip_address: (b) => (e(b).user_data.client_ip_address = "not-an-ip"),
      value: (b) => (e(b).custom_data.value = "8.63"),
      currency: (b) => delete e(b).custom_data.currency,
    });
    const noToken = await send(p, request, request.body, request.url.split("?")[0]);
    expect(noToken.problems).toContain("access_token missing");
  });

  it("TikTok", async () => {
    const p = platform();
    const request = tiktokRequest(parse<"tiktok">(TIKTOK(p.endpoint)), event);
    const e = (b: any) => b.data[0];
    await refusesEach(p, request, {
      event_source: (b) => (b.event_source = "website"),
      event_source_id: (b) => delete b.event_source_id,
      event: (b) => delete e(b).event,
      event_time: (b) => (e(b).event_time = String(e(b).event_time)),
      event_id: (b) => delete e(b).event_id,
      ttclid: (b) => delete e(b).user.ttclid,
      ip: (b) => (e(b).user.ip = "x"),
      user_agent: (b) => delete e(b).user.user_agent,
      currency: (b) => (e(b).properties.currency = "usd"),
    });
  });

  it("Google Ads upload and retraction", async () => {
    const p = platform();
    const api = parse<"google">(GOOGLE(p.endpoint));
    const token = await (
      await fetch(`${p.endpoint}/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          client_id: "c",
          client_secret: "s",
          refresh_token: "r",
        }),
      })
    ).json<{ access_token: string }>();
    const c = (b: any) => b.conversions[0];
    await refusesEach(p, googleUploadRequest(api, token.access_token, event), {
      partialFailure: (b) => delete b.partialFailure,
      "two click IDs": (b) => (c(b).gbraid = "gb-1"),
      conversionAction: (b) => (c(b).conversionAction = "987654"),
      "conversionDateTime without zone": (b) => (c(b).conversionDateTime = c(b).conversionDateTime.slice(0, 19)),
      conversionValue: (b) => delete c(b).conversionValue,
      currencyCode: (b) => delete c(b).currencyCode,
      orderId: (b) => delete c(b).orderId,
    });
    const a = (b: any) => b.conversionAdjustments[0];
    await refusesEach(p, googleRetractionRequest(api, token.access_token, "conv-1", Date.now()), {
      adjustmentType: (b) => (a(b).adjustmentType = "RETRACT"),
      orderId: (b) => delete a(b).orderId,
      adjustmentDateTime: (b) => delete a(b).adjustmentDateTime,
    });
    const unauthorized = googleUploadRequest(api, "a-token-it-never-issued", event);
    expect((await send(p, unauthorized, unauthorized.body)).status).toBe(401);
  });
});
