import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { shardOf, shardStub } from "../src/ingest/shards";
import { api, call, created, createOffer, eventually } from "./helpers";
import { daysQuery, daysSince, getJson, report } from "./report-helpers";

/**
 * Offers behind a lander, through the real routes; every visit costs 0.10 (cpc).
 * Campaign "One": lander Solo (one offer, A).
 *   s1 clicks /click and converts (payout 2), s2 clicks twice, s3 never clicks.
 *   => A: 2 visits, 0.20, 3 clicks, 1 conversion, 2.00; (none): 1 visit, 0.10.
 * Campaign "Several": lander Duo (offers B, C).
 *   d1 clicks /click/1 then /click/2 and converts (5): B, its first click, takes it all.
 *   d2 clicks /click/2 and converts (3), d3 clicks /click/2, d4 never clicks but converts (1).
 *   => B: 1 visit, 0.10, 2 clicks, 1 conversion, 5.00; C: 2 visits, 0.20, 2 clicks, 1, 3.00;
 *      (none): 1 visit, 0.10, 0 clicks, 1 conversion, 1.00.
 */
const PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1";
let one: any;
let several: any;
const offers: Record<string, any> = {};

async function flowCampaign(name: string, landerOffers: any[]) {
  const lander = await created(
    api("POST", "/landers", {
      name: `${name} lander`,
      url: "https://lp.example/?c={clickid}",
      offerCount: landerOffers.length,
    }),
  );
  return created(
    api("POST", "/campaigns", {
      name,
      costModel: { type: "cpc", amount: 0.1 },
      flow: {
        rules: [],
        defaultPaths: [
          { name: "LP", landers: [{ landerId: lander.id }], offers: landerOffers.map((o) => ({ offerId: o.id })) },
        ],
      },
    }),
  );
}

async function visit(campaignId: number): Promise<string> {
  const res = await call(`/c/${campaignId}`, { headers: { "user-agent": PHONE } });
  expect(res.status).toBe(302);
  return /ct_cid=([A-Za-z0-9_-]+)/.exec(res.headers.getSetCookie().join("\n"))![1]!;
}

/** A lander click in a later millisecond than the previous one, so "first" is well defined. */
let lastClickAt = 0;
async function landerClick(path: string) {
  await eventually(
    async () => Date.now(),
    (now) => now > lastClickAt,
  );
  lastClickAt = Date.now();
  expect((await call(path)).status).toBe(302);
}

const noted = (clickId: string, offerId: number) =>
  eventually(
    () => shardStub(env, shardOf(clickId)).chosenOffers([clickId]),
    (o) => o[0] === offerId,
  );
const postback = async (cid: string, payout: number) =>
  expect(await call(`/postback?cid=${cid}&payout=${payout}`).then((r) => r.json<any>())).toMatchObject({
    status: "accepted",
  });

beforeAll(async () => {
  for (const name of ["A", "B", "C"]) offers[name] = await createOffer({ name, payout: { mode: "auto" } });
  one = await flowCampaign("One", [offers.A]);
  several = await flowCampaign("Several", [offers.B, offers.C]);
  // The third visit never clicks through.
  const [s1, s2] = [await visit(one.id), await visit(one.id)];
  await visit(one.id);
  await landerClick(`/click?cid=${s1}`);
  await landerClick(`/click?cid=${s2}`);
  await landerClick(`/click/1?cid=${s2}`);
  const [d1, d2, d3, d4] = [
    await visit(several.id),
    await visit(several.id),
    await visit(several.id),
    await visit(several.id),
  ];
  await landerClick(`/click/1?cid=${d1}`);
  await landerClick(`/click/2?cid=${d1}`);
  await landerClick(`/click/2?cid=${d2}`);
  await landerClick(`/click/2?cid=${d3}`);
  await noted(s1!, offers.A.id);
  await noted(d1!, offers.B.id);
  await noted(d2!, offers.C.id);
  await postback(s1!, 2);
  await postback(d1!, 5);
  await postback(d2!, 3);
  await postback(d4!, 1);
  await eventually(
    () => report({ ...daysSince() }),
    (r) => r.totals.visits === 7 && r.totals.clicks === 7 && r.totals.conversions === 4,
    15_000,
  );
});

const byOffer = async (params: Record<string, string | number>) => {
  const { rows } = await report({ ...daysSince(), groupBy: "offer", ...params });
  return Object.fromEntries(rows.map((r: any) => [r.label, [r.visits, r.cost, r.clicks, r.conversions, r.revenue]]));
};

describe("offers behind a lander count the visit under its first lander click's offer", () => {
  it("a lander with one offer: visits, cost, clicks, conversions, revenue", async () => {
    expect(await byOffer({ campaignId: one.id })).toEqual({
      A: [2, 0.2, 3, 1, 2],
      "(none)": [1, 0.1, 0, 0, 0],
    });
  });

  it("a lander with several offers: the first click decides, a visit that never clicked is (none)", async () => {
    expect(await byOffer({ campaignId: several.id })).toEqual({
      B: [1, 0.1, 2, 1, 5],
      C: [2, 0.2, 2, 1, 3],
      "(none)": [1, 0.1, 0, 1, 1],
    });
  });

  it("filters and drill-downs by offerId see the same visits", async () => {
    const c = offers.C.id;
    const byCampaign = await report({ ...daysSince(), groupBy: "campaign", offerId: c });
    expect(byCampaign.rows.map((r: any) => [r.label, r.visits, r.cost, r.revenue])).toEqual([["Several", 2, 0.2, 3]]);
    const byLander = await report({ ...daysSince(), groupBy: "lander", offerId: c });
    expect(byLander.totals).toMatchObject({ visits: 2, cost: 0.2, clicks: 2, conversions: 1, revenue: 3 });
    // One attribute filter (rollups) and two (raw visits) agree.
    const byDevice = await report({ ...daysSince(), groupBy: "device", offerId: c });
    expect(byDevice.totals).toMatchObject({ visits: 2, cost: 0.2, conversions: 1, revenue: 3 });
    const raw = await report({ ...daysSince(), groupBy: "var1", offerId: c, device: "mobile", os: "iOS" });
    expect(raw.engine).toBe("raw");
    expect(raw.totals).toMatchObject({ visits: 2, cost: 0.2, clicks: 2, conversions: 1, revenue: 3 });
  });

  it("the conversions list and its CSV show offerId null for a conversion without an offer", async () => {
    const list = await getJson(`/conversions?${daysQuery()}&campaignId=${several.id}`);
    const offerIds = list.conversions.map((c: any) => c.offerId).sort();
    expect(offerIds).toEqual([offers.B.id, offers.C.id, null].sort());
    const csv = await (
      await call(`/api/conversions?${daysQuery()}&campaignId=${several.id}&format=csv`, {
        headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` },
      })
    ).text();
    const lines = csv.trim().split("\r\n");
    const col = lines[0]!.split(",").indexOf("offerId");
    expect(
      lines
        .slice(1)
        .map((l) => l.split(",")[col])
        .sort(),
    ).toEqual(["", String(offers.B.id), String(offers.C.id)].sort());
  });
});
