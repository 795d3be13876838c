import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mintClickId } from "../src/lib/clickid";
import {
  adminSession,
  api,
  BASE,
  call,
  click,
  created,
  createOffer,
  createTrafficSource,
  eventually,
  oneRuleFlow,
  setupCampaign,
} from "./helpers";
import { adminPage, sessionCookie } from "./page-helpers";

const lookup = async (clickId: string) => {
  const res = await api("GET", `/visits/${clickId}`);
  return { status: res.status, body: (await res.json()) as any };
};

describe("GET /api/visits/:clickId", () => {
  it("shows a stored visit with every attribute, and its conversions", async () => {
    const { campaign, offer } = await setupCampaign({}, { costPerClick: 0.02 });
    const { clickId } = await click(campaign.id, "?var1=zone7&externalid=ext-1");
    await eventually(
      () => lookup(clickId),
      (r) => r.status === 200,
    );
    expect((await call(`/postback?cid=${clickId}&payout=3.5&txid=t1`)).status).toBe(200);
    const { status, body } = await lookup(clickId);
    expect(status).toBe(200);
    expect(body.click).toMatchObject({ clickId, campaignId: campaign.id, offerId: offer.id });
    expect(body.visit).toMatchObject({
      clickId,
      campaignId: campaign.id,
      offerId: offer.id,
      externalId: "ext-1",
      cost: 0.02,
      var1: "zone7",
      var2: null,
      country: null,
      // The test's request sends no User-Agent: storage classes it as a bot on an "other" device.
      device: "other",
      bot: true,
    });
    expect(Object.keys(body.visit)).toEqual(
      expect.arrayContaining(["os", "browserVersion", "isp", "asn", "ip", "referrerDomain", "userAgent", "var10"]),
    );
    expect(body.landerClicks).toEqual([]);
    expect(body.conversions).toEqual([
      expect.objectContaining({ txid: "t1", status: "approved", payout: 3.5, source: "postback", type: null }),
    ]);
  });

  it("a lead then approved: the conversion's status history, oldest first, with times and payouts", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    await eventually(
      () => lookup(clickId),
      (r) => r.status === 200,
    );
    expect((await call(`/postback?cid=${clickId}&payout=10&status=lead`)).status).toBe(200);
    const approvedAt = "2026-01-05T10:00:00.000Z";
    expect((await call(`/postback?cid=${clickId}&payout=12.5&status=sale&time=${approvedAt}`)).status).toBe(200);
    const { body } = await lookup(clickId);
    expect(body.conversions).toHaveLength(1);
    const [conversion] = body.conversions;
    expect(conversion).toMatchObject({ status: "approved", payout: 12.5 });
    expect(conversion.history).toEqual([
      { status: "pending", at: conversion.conversionTime, payout: 10 },
      { status: "approved", at: approvedAt, payout: 12.5 },
    ]);
    const cookie = await sessionCookie();
    const { html } = await adminPage(`/admin/visits?clickId=${clickId}`, cookie);
    expect(/<ol class="history">(.*?)<\/ol>/s.exec(html)![1]!.replace(/<[^>]+>/g, "|")).toBe(
      `|pending, 10 at ${conversion.conversionTime}||approved, 12.5 at ${approvedAt}|`,
    );
  });

  it("a genuine click ID without a visit: 404 with what the ID says", async () => {
    const visitTime = Date.parse("2026-05-05T05:05:05Z");
    const clickId = await mintClickId(env.CLICKID_SECRET, { visitTime, campaignId: 77, offerId: 88 });
    const { status, body } = await lookup(clickId);
    expect(status).toBe(404);
    expect(body).toMatchObject({
      code: "not_found",
      click: { clickId, visitTime: "2026-05-05T05:05:05.000Z", campaignId: 77, offerId: 88 },
      visit: null,
      archive: null,
    });
  });

  it("a visit of an archived day: 404 that says where it went", async () => {
    const visitTime = Date.parse("2025-01-02T03:04:05Z");
    const clickId = await mintClickId(env.CLICKID_SECRET, { visitTime, campaignId: 1, offerId: 1 });
    await env.DB.prepare("INSERT INTO archived_days (day, object_key, visits, archived_at) VALUES (?1, ?2, 5, 0)")
      .bind(Math.floor(visitTime / 86_400_000), "visits/2025-01-02.ndjson.gz")
      .run();
    const { status, body } = await lookup(clickId);
    expect(status).toBe(404);
    expect(body.error).toMatch(/archived/i);
    expect(body.archive).toEqual({ day: "2025-01-02", file: "visits/2025-01-02.ndjson.gz" });
  });

  it("anything else: 400 naming clickId", async () => {
    for (const bad of ["nope", "A".repeat(32)]) {
      const { status, body } = await lookup(bad);
      expect(status).toBe(400);
      expect(body).toMatchObject({ code: "invalid_parameter", issues: [{ path: "clickId" }] });
    }
  });
});

describe("/admin/visits", () => {
  it("looks a click up, escaping what the visitor sent", async () => {
    const login = await call("/admin/login", {
      method: "POST",
      headers: { Origin: BASE },
      body: new URLSearchParams({ token: env.ADMIN_TOKEN }),
    });
    const cookie = /ct_admin=[^;]+/.exec(login.headers.get("set-cookie") ?? "")![0];
    const page = (q: string) => call(`/admin/visits${q}`, { headers: { Cookie: cookie } });
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id, `?var1=${encodeURIComponent("<script>x</script>")}`);
    const empty = await page("");
    expect(empty.status).toBe(200);
    expect(await empty.text()).toContain('href="/admin/visits" aria-current="page"');
    const found = await eventually(
      () => page(`?clickId=${clickId}`),
      (r) => r.status === 200,
    );
    const html = await found.text();
    expect(html).toContain(clickId);
    expect(html).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(html).not.toContain("<script>x</script>");
    expect((await page("?clickId=nope")).status).toBe(400);
  });

  it("names a var slot as the visit's traffic source does, and its path and rule by name", async () => {
    const source = await createTrafficSource({
      name: "PushNet",
      variables: [{ slot: 1, param: "zone", placeholder: "{zoneid}", alias: "Zone" }],
    });
    const offer = await createOffer({ name: "Sweeps" });
    const flow = oneRuleFlow(offer.id, "Zone seven", "var1", "zone7");
    const campaign = await created(api("POST", "/campaigns", { name: "Pushed", trafficSourceId: source.id, flow }));
    const { clickId } = await click(campaign.id, "?zone=zone7");
    const admin = await adminSession();
    const found = await eventually(
      () => admin.get(`/admin/visits?clickId=${clickId}`),
      (r) => r.status === 200,
    );
    const html = await found.text();
    expect(html).toContain("<th>Zone</th>");
    expect(html).not.toContain("<th>var1</th>");
    expect(html).toContain(`PushNet (${source.id})`);
    expect(html).toContain(`Pushed › Direct (${campaign.flow.rules[0].paths[0].id})`);
    expect(html).toContain(`Pushed › Zone seven (${campaign.flow.rules[0].id})`);
    expect(html).toContain(`Sweeps (${offer.id})`);
  });
});
