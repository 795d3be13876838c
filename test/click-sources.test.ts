import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cachedCampaignForClick } from "../src/click/campaign-cache";
import { verifyClickId } from "../src/lib/clickid";
import { getDb } from "../src/lib/db";
import { getVisit } from "../src/visits/queries";
import { api, call, click, createTrafficSource, eventually, setupCampaign } from "./helpers";

const db = () => getDb(env.DB);
const visitOf = async (clickId: string) => {
  const { visitTime } = (await verifyClickId(env.CLICKID_SECRET, clickId))!;
  return eventually(() => getVisit(env.DB, clickId, visitTime), Boolean);
};

const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const TOKENS = [
  "externalid",
  "var1",
  "var2",
  "var3",
  "campaign.name",
  "offer.name",
  "trafficsource.id",
  "trafficsource.name",
  "country.code",
  "country.name",
  "city",
  "ip",
  "useragent",
  "referrerdomain",
  "device",
  "brand",
  "model",
  "os",
  "osversion",
  "browser",
  "browserversion",
  "language",
  "region",
  "isp",
  "unknown",
];
const OFFER_URL = `https://offer.example/lp?${TOKENS.map((t) => `${t}={${t}}`).join("&")}`;

async function sourcedCampaign(cost: number | null = 0.01) {
  const source = await createTrafficSource({
    name: "Net <b>&",
    externalId: { param: "clickid", placeholder: `\${SUBID}` },
    cost: { param: "cost", placeholder: `\${COST}` },
    variables: [
      { slot: 1, param: "zone", placeholder: "{zoneid}", alias: "Zone" },
      { slot: 3, param: "site", placeholder: "{site}" },
    ],
  });
  const { campaign, offer } = await setupCampaign(
    { name: "Offer/é", url: OFFER_URL },
    { name: "Push & Pull", trafficSourceId: source.id, costModel: { type: "auto", amount: cost } },
  );
  return { source, campaign, offer };
}

function query(location: string) {
  return Object.fromEntries(new URL(location).searchParams);
}

describe("GET /c/:campaignId with a traffic source", () => {
  it("fills {externalid}, the variables and the visit tokens from the source's parameters, encoded", async () => {
    const { source, campaign } = await sourcedCampaign();
    const res = await call(
      `/c/${campaign.id}?clickid=${encodeURIComponent("ext 1&x={clickid}")}&cost=0.0042&zone=z%239&var2=two&var1=not-zone&site=`,
      {
        headers: {
          "user-agent": IPHONE,
          "accept-language": "fr-CI,fr;q=0.9",
          referer: "https://www.news.example/a?b",
          "cf-connecting-ip": "203.0.113.7",
        },
        cf: { country: "CI", region: "Abidjan", city: "Abidjan", asOrganization: "Orange Côte d'Ivoire" },
      } as RequestInit,
    );
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location.startsWith("https://offer.example/lp?")).toBe(true);
    expect(query(location)).toMatchObject({
      externalid: "ext 1&x={clickid}",
      var1: "z#9",
      var2: "two", // a slot the source does not name still reads var2
      var3: "", // named by the source (site), sent empty
      "campaign.name": "Push & Pull",
      "offer.name": "Offer/é",
      "trafficsource.id": String(source.id),
      "trafficsource.name": "Net <b>&",
      "country.code": "CI",
      "country.name": "Côte d’Ivoire",
      city: "Abidjan",
      ip: "203.0.113.7",
      useragent: IPHONE,
      referrerdomain: "news.example",
      device: "mobile",
      brand: "Apple",
      model: "iPhone",
      os: "iOS",
      osversion: "17.5",
      browser: "Safari",
      browserversion: "17",
      language: "fr",
      region: "Abidjan",
      isp: "Orange Côte d'Ivoire",
    });
    // Encoded once, nothing expanded twice, unknown tokens kept as written.
    expect(location).toContain("externalid=ext%201%26x%3D%7Bclickid%7D&");
    expect(location).toContain("campaign.name=Push%20%26%20Pull&");
    expect(location).toContain("unknown={unknown}");
  });

  it("auto: records the network's cost for the visit, and the model's amount when it is missing or malformed", async () => {
    const { campaign } = await sourcedCampaign(0.01);
    const cases: [string, number][] = [
      ["?cost=0.0042", 4_200],
      ["?cost=0", 0],
      ["?cost=abc", 10_000],
      ["?cost=-1", 10_000],
      ["?cost=1e-3", 10_000],
      [`?cost=\${COST}`, 10_000],
      ["", 10_000],
    ];
    for (const [q, micros] of cases) {
      const { clickId, res } = await click(campaign.id, q); // click() asserts the 302
      expect(res.headers.get("location"), q).toMatch(/^https:\/\/offer\.example\/lp\?/);
      expect((await visitOf(clickId))?.costMicros, q).toBe(micros);
    }
  });

  it("auto without an amount falls back to 0 on a malformed cost; cpc ignores the network's cost", async () => {
    const { campaign } = await sourcedCampaign(null);
    expect((await visitOf((await click(campaign.id, "?cost=lots")).clickId))?.costMicros).toBe(0);
    expect((await visitOf((await click(campaign.id, "?cost=0.25")).clickId))?.costMicros).toBe(250_000);
    await api("PATCH", `/campaigns/${campaign.id}`, { costPerClick: 0.03 });
    expect((await visitOf((await click(campaign.id, "?cost=0.25")).clickId))?.costMicros).toBe(30_000);
  });

  it("keeps reading the source's parameters after the source is archived", async () => {
    const { source, campaign } = await sourcedCampaign();
    await api("DELETE", `/traffic-sources/${source.id}`);
    const { res } = await click(campaign.id, "?clickid=abc&zone=z1");
    expect(query(res.headers.get("location")!)).toMatchObject({ externalid: "abc", var1: "z1" });
  });

  it("a campaign without a source reads var1…var10 and externalid, ignores cost, and leaves source tokens empty", async () => {
    const { campaign } = await setupCampaign({ url: OFFER_URL }, { costPerClick: 0.02 });
    const { res, clickId } = await click(campaign.id, "?externalid=e1&var1=a&var3=c&clickid=no&zone=no&cost=5");
    expect(query(res.headers.get("location")!)).toMatchObject({
      externalid: "e1",
      var1: "a",
      var2: "",
      var3: "c",
      "trafficsource.id": "",
      "trafficsource.name": "",
    });
    expect((await visitOf(clickId))?.costMicros).toBe(20_000);
  });

  it("the cached campaign carries the source's parameter map, so a warm click reads nothing more", async () => {
    const { source, campaign } = await sourcedCampaign();
    const cached = await cachedCampaignForClick(db(), campaign.id, 60_000);
    expect(cached?.source).toEqual({
      id: source.id,
      name: source.name,
      externalId: source.externalId,
      cost: source.cost,
      variables: source.variables,
    });
    // Within the TTL the isolate serves what it read, source included.
    await api("PATCH", `/traffic-sources/${source.id}`, { variables: [] });
    expect((await cachedCampaignForClick(db(), campaign.id, 60_000))?.source?.variables).toEqual(source.variables);
    expect((await cachedCampaignForClick(db(), campaign.id, 0))?.source?.variables).toEqual([]);
  });
});
