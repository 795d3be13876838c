import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { shardOf, shardStub } from "../src/ingest/shards";
import { api, call, created, createOffer, eventually } from "./helpers";
import { daysSince, report } from "./report-helpers";

/**
 * Through the real routes: a flow sends phones to a 2-offer lander and desktops to an offer.
 *   4 phone visits: the first clicks /click/2 twice and converts (offer 2 pays a manual 7.50),
 *   the second clicks /click once, two never click. 1 desktop visit converts (auto, 1.00).
 * => lander: 4 visits, 3 clicks, ctr 0.75, 1 conversion, 7.50; no lander: 1 visit, 1 conversion.
 */
const PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1";
const DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36";

let campaign: any;
let lander: any;
let second: any;

async function visit(ua: string): Promise<string> {
  const res = await call(`/c/${campaign.id}`, { headers: { "user-agent": ua } });
  expect(res.status).toBe(302);
  return /ct_cid=([A-Za-z0-9_-]+)/.exec(res.headers.getSetCookie().join("\n"))![1]!;
}

beforeAll(async () => {
  const first = await createOffer({ name: "First", payout: { mode: "auto" } });
  second = await createOffer({ name: "Second", payout: { mode: "manual", amount: 7.5 } });
  lander = await created(
    api("POST", "/landers", { name: "Quiz", url: "https://lp.example/?c={clickid}", offerCount: 2 }),
  );
  campaign = await created(
    api("POST", "/campaigns", {
      name: "Report flow",
      flow: {
        rules: [
          {
            name: "Phones",
            conditions: [{ field: "device", op: "in", values: ["mobile"] }],
            paths: [
              {
                name: "Quiz",
                landers: [{ landerId: lander.id }],
                offers: [{ offerId: first.id }, { offerId: second.id }],
              },
            ],
          },
        ],
        defaultPaths: [{ name: "Direct", offers: [{ offerId: first.id }] }],
      },
    }),
  );
  const phones = [await visit(PHONE), await visit(PHONE), await visit(PHONE), await visit(PHONE)];
  const desktop = await visit(DESKTOP);
  for (const path of [`/click/2?cid=${phones[0]}`, `/click/2?cid=${phones[0]}`, `/click?cid=${phones[1]}`])
    expect((await call(path)).status).toBe(302);
  // The click's shard learns the chosen offer within about 100 ms (a batched call after the answer).
  await eventually(
    () => shardStub(env, shardOf(phones[0]!)).chosenOffers([phones[0]!]),
    (o) => o[0] === second.id,
  );
  const postback = (cid: string) => call(`/postback?cid=${cid}&payout=1`).then((r) => r.json<any>());
  expect(await postback(phones[0]!)).toMatchObject({ status: "accepted" });
  expect(await postback(desktop)).toMatchObject({ status: "accepted" });
  // Visits and lander clicks reach D1 through the queue just after the answers.
  await eventually(
    () => report({ ...daysSince(), campaignId: campaign.id }),
    (r) => r.totals.visits === 5 && r.totals.clicks === 3 && r.totals.conversions === 2,
    15_000,
  );
});

describe("reports by lander and path", () => {
  it("by lander: visits, lander clicks, CTR, conversions and revenue", async () => {
    const { rows } = await report({ ...daysSince(), campaignId: campaign.id, groupBy: "lander" });
    const byKey = new Map(rows.map((r: any) => [r.key, r]));
    expect(byKey.get(lander.id)).toMatchObject({
      label: "Quiz",
      visits: 4,
      clicks: 3,
      ctr: 0.75,
      conversions: 1,
      revenue: 7.5,
    });
    expect(byKey.get(null)).toMatchObject({ visits: 1, clicks: 0, conversions: 1, revenue: 1 });
  });

  it("by path: the rule's path and the default path", async () => {
    const { rows } = await report({ ...daysSince(), campaignId: campaign.id, groupBy: "path" });
    const [quiz, direct] = [campaign.flow.rules[0].paths[0].id, campaign.flow.defaultPaths[0].id];
    const byKey = new Map(rows.map((r: any) => [r.key, r]));
    expect(byKey.get(quiz)).toMatchObject({
      label: "Report flow › Quiz",
      visits: 4,
      clicks: 3,
      ctr: 0.75,
      revenue: 7.5,
    });
    expect(byKey.get(direct)).toMatchObject({ label: "Report flow › Direct", visits: 1, clicks: 0, revenue: 1 });
  });

  it("by offer: the conversion of a lander visit counts for the offer /click sent it to", async () => {
    const { rows } = await report({ ...daysSince(), campaignId: campaign.id, groupBy: "offer" });
    expect(rows.find((r: any) => r.key === second.id)).toMatchObject({ conversions: 1, revenue: 7.5 });
  });
});
