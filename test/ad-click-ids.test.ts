import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { mintClickId } from "../src/lib/clickid";
import { MAX_AD_CLICK_ID_LENGTH } from "../src/visits/ad-click-ids";
import { archiveKey } from "../src/visits/archive";
import { adClickIdsOf } from "../src/visits/queries";
import { adminSession, api, call, click, created, createOffer, eventually, setupCampaign } from "./helpers";
import { visitRecord, writeVisits } from "./report-helpers";

const lookup = async (clickId: string) => {
  const res = await api("GET", `/visits/${clickId}`);
  return { status: res.status, body: (await res.json()) as any };
};
const stored = (clickId: string) =>
  eventually(
    () => lookup(clickId),
    (r) => r.status === 200,
  );

const IDS = {
  fbclid: "IwAR2xYz-fb_1",
  gclid: "Cj0KCQiA-g_2",
  gbraid: "0AAAAAgb",
  wbraid: "CkwKCAwb",
  ttclid: "E.C.P.tt3",
  msclkid: "ms4ms4",
  fbp: "fb.1.1700000000000.123",
  fbc: "fb.1.1700000000000.IwAR2xYz-fb_1",
};
const UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1";

describe("ad platforms' click IDs of a visit", () => {
  it("GET /c/:id records every one, the lookup shows them, null where absent", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id, `?${new URLSearchParams(IDS)}`);
    const { body } = await stored(clickId);
    expect(body.visit).toMatchObject(IDS);

    const bare = await click(campaign.id, "?gclid=only-google&fbclid=");
    const { body: other } = await stored(bare.clickId);
    expect(other.visit).toMatchObject({ gclid: "only-google", fbclid: null, ttclid: null, fbc: null });
  });

  it("clips a value longer than the cap", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id, `?ttclid=${"t".repeat(MAX_AD_CLICK_ID_LENGTH + 50)}`);
    const { body } = await stored(clickId);
    expect(body.visit.ttclid).toBe("t".repeat(MAX_AD_CLICK_ID_LENGTH));
  });

  it("fills {fbclid}, {gclid}, {ttclid}, {msclkid} … in the offer URL, empty where absent", async () => {
    const { campaign } = await setupCampaign({
      url: "https://offer.example/?f={fbclid}&g={gclid}&b={gbraid}&w={wbraid}&t={ttclid}&m={msclkid}&p={fbp}&c={fbc}",
    });
    const { res } = await click(campaign.id, "?fbclid=a%2Bb&ttclid=T1&msclkid=M1");
    expect(res.headers.get("location")).toBe("https://offer.example/?f=a%2Bb&g=&b=&w=&t=T1&m=M1&p=&c=");
  });

  it("a lander's /click fills them in the offer URL, from the campaign link", async () => {
    const offer = await createOffer({ url: "https://offer.example/?g={gclid}&f={fbclid}" });
    const lander = await created(
      api("POST", "/landers", { name: "L", url: "https://lander.example/?g={gclid}", offerCount: 1 }),
    );
    const campaign = await created(
      api("POST", "/campaigns", {
        name: "Flow",
        flow: {
          rules: [],
          defaultPaths: [{ name: "P", landers: [{ landerId: lander.id }], offers: [{ offerId: offer.id }] }],
        },
      }),
    );
    const res = await call(`/c/${campaign.id}?gclid=G9&fbclid=F9`);
    expect(res.headers.get("location")).toBe("https://lander.example/?g=G9");
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const onward = await call("/click", { headers: { cookie } });
    expect(onward.headers.get("location")).toBe("https://offer.example/?g=G9&f=F9");
  });

  it("adClickIdsOf gives the IDs with the visit's time, IP and user agent", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id, "?fbclid=F1&fbp=fb.1.2.3");
    // The click above sends neither header; this one does.
    const res = await call(`/c/${campaign.id}?ttclid=T7`, {
      headers: { "user-agent": UA, "cf-connecting-ip": "203.0.113.9" },
    });
    const withClient = /ct_cid=([A-Za-z0-9_-]+)/.exec(res.headers.get("set-cookie")!)![1]!;
    await stored(clickId);
    await stored(withClient);

    const a = await adClickIdsOf(env.DB, env.CLICKID_SECRET, clickId);
    expect(a).toMatchObject({ adClickIds: { fbclid: "F1", fbp: "fb.1.2.3" }, ip: null, userAgent: null });
    expect(Object.keys(a!.adClickIds).sort()).toEqual(["fbclid", "fbp"]);
    const b = await adClickIdsOf(env.DB, env.CLICKID_SECRET, withClient);
    expect(b).toEqual({
      adClickIds: { ttclid: "T7" },
      createdAt: expect.any(Number),
      ip: "203.0.113.9",
      userAgent: UA,
    });
    expect(Math.abs(b!.createdAt - Date.now())).toBeLessThan(60_000);

    expect(await adClickIdsOf(env.DB, env.CLICKID_SECRET, "x".repeat(32))).toBeNull();
    const unknown = await mintClickId(env.CLICKID_SECRET, { visitTime: Date.now(), campaignId: 1, offerId: 1 });
    expect(await adClickIdsOf(env.DB, env.CLICKID_SECRET, unknown)).toBeNull();
  });

  it("the click lookup page shows them", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id, "?msclkid=%3Cb%3Ems");
    await stored(clickId);
    const html = await (await (await adminSession()).get(`/admin/visits?clickId=${clickId}`)).text();
    expect(html).toMatch(/<th>msclkid<\/th>\s*<td class="mono">&lt;b&gt;ms<\/td>/);
    expect(html).toMatch(/<th>gclid<\/th>\s*<td class="mono">—<\/td>/);
  });

  it("the R2 archive keeps them as columns", async () => {
    const DAY_MS = 86_400_000;
    const createdAt = (Math.floor(Date.now() / DAY_MS) - 120) * DAY_MS + 3_600_000;
    const clickId = await mintClickId(env.CLICKID_SECRET, { visitTime: createdAt, campaignId: 3, offerId: 4 });
    await writeVisits([
      visitRecord({ clickId, createdAt, campaignId: 3, offerId: 4, adClickIds: { gclid: "G-old", fbc: "fb.1.9.x" } }),
    ]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/15 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const object = await env.ARCHIVE.get(archiveKey(Math.floor(createdAt / DAY_MS)));
    expect(object).not.toBeNull();
    const text = await new Response(object!.body.pipeThrough(new DecompressionStream("gzip"))).text();
    const line = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .find((l) => l.clickId === clickId);
    expect(line).toMatchObject({ gclid: "G-old", fbc: "fb.1.9.x", fbclid: null, ttclid: null });
  });
});
