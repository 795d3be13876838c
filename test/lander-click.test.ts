import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { localClock } from "../src/click/flow";
import { shardOf, shardStub } from "../src/ingest/shards";
import { mintClickId, verifyClickId } from "../src/lib/clickid";
import { api, call, click, created, createOffer, eventually } from "./helpers";

const PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1";
const DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36";

/** Offers 1 and 2 behind a 2-CTA lander for phones; desktops straight to offer 1. */
async function flowCampaign(extraRules: unknown[] = []) {
  const first = await createOffer({
    name: "First",
    url: "https://first.example/?cid={clickid}&v={var1}&x={externalid}",
  });
  const second = await createOffer({
    name: "Second",
    url: "https://second.example/?cid={clickid}&o={offer.id}&c={campaign.id}&l={lander.id}&n={offer.name}",
    payout: { mode: "manual", amount: 7.5 },
  });
  const lander = await created(
    api("POST", "/landers", {
      name: "Quiz & co",
      url: "https://lander.example/quiz?cid={clickid}&v={var1}&l={lander.id}&n={lander.name}",
      offerCount: 2,
    }),
  );
  const offers = [
    { offerId: first.id, weight: 1 },
    { offerId: second.id, weight: 1 },
  ];
  const campaign = await created(
    api("POST", "/campaigns", {
      name: "Flow",
      flow: {
        rules: [
          ...extraRules,
          {
            name: "Phones",
            conditions: [{ field: "device", op: "in", values: ["mobile", "tablet"] }],
            paths: [{ name: "Quiz", landers: [{ landerId: lander.id }], offers }],
          },
        ],
        defaultPaths: [{ name: "Direct", offers: [{ offerId: first.id }] }],
      },
    }),
  );
  return { first, second, lander, campaign };
}

async function visit(campaignId: number, ua = PHONE, query = "") {
  const res = await call(`/c/${campaignId}${query}`, { headers: { "user-agent": ua } });
  expect(res.status).toBe(302);
  const cookies = res.headers.getSetCookie();
  const clickId = /ct_cid=([A-Za-z0-9_-]+)/.exec(cookies.join("\n"))![1]!;
  const cookie = cookies.map((c) => c.split(";")[0]).join("; ");
  return { res, clickId, cookie, location: res.headers.get("location")! };
}

const landerClicks = (clickId: string) =>
  env.DB.prepare("SELECT offer_id, lander_id, path_id FROM lander_clicks WHERE click_id = ?").bind(clickId).all();

describe("a campaign with a flow", () => {
  it("sends a phone to the lander and a desktop straight to the offer", async () => {
    const { campaign, lander, first } = await flowCampaign();
    const phone = await visit(campaign.id, PHONE, "?var1=zone%207");
    expect(phone.location).toBe(
      `https://lander.example/quiz?cid=${phone.clickId}&v=zone%207&l=${lander.id}&n=Quiz%20%26%20co`,
    );
    const data = await verifyClickId(env.CLICKID_SECRET, phone.clickId);
    const path = campaign.flow.rules[0].paths[0];
    expect(data).toMatchObject({ campaignId: campaign.id, offerId: 0, landerId: lander.id, pathId: path.id });

    const desktop = await visit(campaign.id, DESKTOP);
    expect(desktop.location).toBe(`https://first.example/?cid=${desktop.clickId}&v=&x=`);
    expect(await verifyClickId(env.CLICKID_SECRET, desktop.clickId)).toMatchObject({
      offerId: first.id,
      landerId: null,
      pathId: campaign.flow.defaultPaths[0].id,
    });
  });

  it("/click/2 reaches the second offer with the same click ID, the moment after the visit", async () => {
    const { campaign, second, lander } = await flowCampaign();
    const phone = await visit(campaign.id);
    const res = await call(`/click/2?cid=${phone.clickId}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("location")).toBe(
      `https://second.example/?cid=${phone.clickId}&o=${second.id}&c=${campaign.id}&l=${lander.id}&n=Second`,
    );
    const rows = await eventually(
      () => landerClicks(phone.clickId),
      (r) => r.results.length === 1,
    );
    expect(rows.results).toEqual([
      { offer_id: second.id, lander_id: lander.id, path_id: campaign.flow.rules[0].paths[0].id },
    ]);
  });

  it("/click takes the click ID from the cookie and fills the visit's variables from it", async () => {
    const { campaign, first, second } = await flowCampaign();
    const phone = await visit(campaign.id, PHONE, "?var1=v%26one&externalid=ext-9");
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const res = await call("/click", { headers: { cookie: phone.cookie } });
      expect(res.status).toBe(302);
      const location = res.headers.get("location")!;
      seen.add(new URL(location).host);
      if (location.startsWith("https://first.example/"))
        expect(location).toBe(`https://first.example/?cid=${phone.clickId}&v=v%26one&x=ext-9`);
    }
    expect(seen).toEqual(new Set(["first.example", "second.example"]));
    // One visit, many lander clicks: each is counted.
    await eventually(
      () => landerClicks(phone.clickId),
      (r) => r.results.length === 30,
    );
    expect(first.id).not.toBe(second.id);
  });

  it("answers 404, never a redirect, without a valid lander click ID or with n out of range", async () => {
    const { campaign } = await flowCampaign();
    const phone = await visit(campaign.id);
    const desktop = await visit(campaign.id, DESKTOP);
    const forged = `${phone.clickId.slice(0, 10)}${phone.clickId[10] === "A" ? "B" : "A"}${phone.clickId.slice(11)}`;
    for (const path of [
      "/click",
      `/click?cid=${forged}`,
      `/click?cid=${desktop.clickId}`,
      `/click/3?cid=${phone.clickId}`,
      `/click/0?cid=${phone.clickId}`,
      `/click/-1?cid=${phone.clickId}`,
      `/click/abc?cid=${phone.clickId}`,
      `/click/99999999999?cid=${phone.clickId}`,
    ]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("location"), path).toBeNull();
      expect(await res.json(), path).toMatchObject({ code: "not_found" });
    }
    expect((await landerClicks(phone.clickId)).results).toEqual([]);
  });

  it("HEAD answers like GET and records nothing", async () => {
    const { campaign } = await flowCampaign();
    const phone = await visit(campaign.id);
    const res = await call(`/click/1?cid=${phone.clickId}`, { method: "HEAD" });
    expect(res.status).toBe(302);
    // A marker: another visitor's GET after the HEAD. Lander clicks are written in batches, in
    // order, so once the marker's is stored a HEAD's would be too.
    const marker = await visit(campaign.id);
    expect((await call(`/click/1?cid=${marker.clickId}`)).status).toBe(302);
    await eventually(
      () => landerClicks(marker.clickId),
      (r) => r.results.length === 1,
    );
    expect((await landerClicks(phone.clickId)).results).toEqual([]);
    expect(await shardStub(env, shardOf(phone.clickId)).chosenOffers([phone.clickId])).toEqual([0]);
  });

  it("a click made before a flow edit still finds its path; a removed path is a 404", async () => {
    const { campaign, first } = await flowCampaign();
    const before = await visit(campaign.id);
    const flow = structuredClone(campaign.flow);
    flow.rules[0].paths[0].offers.reverse(); // same path id, offers swapped
    await api("PATCH", `/campaigns/${campaign.id}`, { flow });
    const res = await call(`/click/2?cid=${before.clickId}`);
    expect(res.headers.get("location")).toMatch(/^https:\/\/first\.example\//);
    flow.rules[0].paths = [{ name: "New", offers: [{ offerId: first.id }] }];
    await api("PATCH", `/campaigns/${campaign.id}`, { flow });
    expect((await call(`/click/1?cid=${before.clickId}`)).status).toBe(404);
  });

  it("evaluates hour conditions in the settings' time zone", async () => {
    await api("PATCH", "/settings", { timezone: "Asia/Kolkata" });
    const { hour } = localClock("Asia/Kolkata", Date.now());
    const utcHour = localClock("UTC", Date.now()).hour;
    // The current local hour and the next (in case the clock turns during the test).
    const hours = [hour, (hour + 1) % 24].filter((h) => h !== utcHour && h !== (utcHour + 1) % 24);
    const { campaign, second } = await flowCampaign([
      {
        name: "Local hour",
        conditions: [{ field: "hour", op: "in", values: hours }],
        paths: [{ name: "Night", offers: [{ offerId: (await createOffer({ url: "https://hour.example/" })).id }] }],
      },
    ]);
    expect((await visit(campaign.id, DESKTOP)).location).toBe("https://hour.example/");
    await api("PATCH", "/settings", { timezone: "UTC" });
    expect((await visit(campaign.id, DESKTOP)).location).not.toBe("https://hour.example/");
    expect(second.id).toBeGreaterThan(0);
  });

  it("leaves campaigns without a flow redirecting exactly as before", async () => {
    const offer = await createOffer({ url: "https://plain.example/?cid={clickid}" });
    const campaign = await created(api("POST", "/campaigns", { name: "Plain", offers: [{ offerId: offer.id }] }));
    const { res, clickId } = await click(campaign.id);
    expect(res.headers.get("location")).toBe(`https://plain.example/?cid=${clickId}`);
    expect(res.headers.getSetCookie()).toHaveLength(1);
    expect(await verifyClickId(env.CLICKID_SECRET, clickId)).toMatchObject({
      offerId: offer.id,
      landerId: null,
      pathId: null,
    });
    expect((await call(`/click?cid=${clickId}`)).status).toBe(404);
  });
});

describe("attribution of lander visits", () => {
  const postback = async (query: string) => {
    const res = await call(`/postback?${query}`);
    return { status: res.status, body: await res.json<any>() };
  };
  const conversion = (clickId: string) =>
    env.DB.prepare("SELECT offer_id, payout_micros FROM conversions WHERE click_id = ?").bind(clickId).first();

  it("credits the offer /click sent the visitor to, before any row is readable", async () => {
    const { campaign, second } = await flowCampaign();
    const phone = await visit(campaign.id);
    await call(`/click/2?cid=${phone.clickId}`);
    // The shard learns of the click under waitUntil; the postback may come right after.
    await eventually(
      () => shardStub(env, shardOf(phone.clickId)).chosenOffers([phone.clickId]),
      (o) => o[0] === second.id,
    );
    expect(await postback(`cid=${phone.clickId}&payout=1`)).toMatchObject({
      status: 200,
      body: { status: "accepted" },
    });
    // Offer 2 pays a manual 7.5 whatever the postback says: proof the conversion is its.
    expect(await conversion(phone.clickId)).toEqual({ offer_id: second.id, payout_micros: 7_500_000 });
  });

  it("accepts a conversion of a visitor who never clicked through, with the offer unknown", async () => {
    const { campaign } = await flowCampaign();
    const phone = await visit(campaign.id);
    expect((await postback(`cid=${phone.clickId}&payout=2`)).body.status).toBe("accepted");
    expect(await conversion(phone.clickId)).toEqual({ offer_id: 0, payout_micros: 2_000_000 });
  });

  it("the first lander click wins, as in reports", async () => {
    const { campaign, first, second, lander } = await flowCampaign();
    const clickId = await mintClickId(env.CLICKID_SECRET, {
      visitTime: Date.now(),
      campaignId: campaign.id,
      offerId: 0,
      landerId: lander.id,
      pathId: campaign.flow.rules[0].paths[0].id,
    });
    const shard = shardStub(env, shardOf(clickId));
    // Even in one batch, and in either order, a later click does not overwrite the first one.
    await shard.noteLanderClicks([
      { clickId, offerId: first.id, landerId: lander.id, pathId: null, at: 2000 },
      { clickId, offerId: second.id, landerId: lander.id, pathId: null, at: 1000 },
    ]);
    await shard.noteLanderClicks([{ clickId, offerId: first.id, landerId: lander.id, pathId: null, at: 1500 }]);
    expect(await shard.chosenOffers([clickId, "other"])).toEqual([second.id, 0]);
  });
});
