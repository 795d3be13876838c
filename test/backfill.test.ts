import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { mintClickId } from "../src/lib/clickid";
import { api, createCampaign, created, createOffer } from "./helpers";
import { report } from "./report-helpers";

/**
 * The data migration (migrations/0004_backfill_storage.sql) on rows in the shape the previous
 * release wrote: visits in the old `visits` table, conversions without events. Hand count, UTC,
 * 2026-06-10: C1 (cost 0.02) 3 visits PL var1=z1 from https://www.news.example/a?b, 2 visits US
 * var1=z2; C2 1 visit, no country. Conversions: 1.50 and 0.50 "install" (excluded) on the first
 * PL visit, 10 on a US visit, 4 on a click ID whose visit was never stored.
 */
let c1: number;
let c2: number;
let offer: number;
let install: number;
let firstClick = "";

async function runBackfill() {
  const migration = env.TEST_MIGRATIONS.find((m) => m.name.includes("backfill_storage"))!;
  await env.DB.batch(migration.queries.map((q) => env.DB.prepare(q)));
}

beforeAll(async () => {
  offer = (await createOffer({ name: "O" })).id;
  c1 = (await createCampaign([{ offerId: offer }], { name: "C1", costPerClick: 0.02 })).id;
  c2 = (await createCampaign([{ offerId: offer }], { name: "C2" })).id;
  install = (await created(api("POST", "/conversion-types", { name: "install", includeInConversions: false }))).id;
  const at = Date.parse("2026-06-10T10:00:00Z");
  const old: [number, string | null, string | null, string, number][] = [
    [c1, "PL", "https://www.news.example/a?b", '{"var1":"z1","externalid":"e1"}', 20_000],
    [c1, "PL", "https://www.news.example/a?b", '{"var1":"z1"}', 20_000],
    [c1, "PL", "http://user@news.example:8080/", '{"var1":"z1"}', 20_000],
    [c1, "US", null, '{"var1":"z2","utm":"x"}', 20_000],
    [c1, "US", "not a url", '{"var1":"z2"}', 20_000],
    [c2, null, null, "{}", 0],
  ];
  const ids: string[] = [];
  for (const [i, [campaignId, country, referrer, params, cost]] of old.entries()) {
    const createdAt = at + i * 1000;
    const clickId = await mintClickId(env.CLICKID_SECRET, { visitTime: createdAt, campaignId, offerId: offer });
    ids.push(clickId);
    await env.DB.prepare(
      `INSERT INTO visits (click_id, campaign_id, offer_id, created_at, country, user_agent, referrer, params, cost_micros)
       VALUES (?1, ?2, ?3, ?4, ?5, 'Old UA', ?6, ?7, ?8)`,
    )
      .bind(clickId, campaignId, offer, createdAt, country, referrer, params, cost)
      .run();
  }
  firstClick = ids[0]!;
  const conversion = (id: string, clickId: string, campaignId: number, typeId: number | null, payout: number) =>
    env.DB.prepare(
      `INSERT INTO conversions (id, click_id, campaign_id, offer_id, type_id, dedupe_key, payout_micros, conversion_time, received_at, source)
       VALUES (?1, ?2, ?3, ?4, ?5, ?1, ?6, ?7, ?7, 'postback')`,
    )
      .bind(id, clickId, campaignId, offer, typeId, payout, at + 3_600_000)
      .run();
  await conversion("k1", ids[0]!, c1, null, 1_500_000);
  await conversion("k2", ids[0]!, c1, install, 500_000);
  await conversion("k3", ids[3]!, c1, null, 10_000_000);
  await conversion("k4", "gone".padEnd(32, "g"), c2, null, 4_000_000);
  await runBackfill();
});

const day = { from: "2026-06-10", to: "2026-06-10", tz: "UTC" };

describe("migrating the data of the previous release", () => {
  it("reports the old visits and conversions as the previous release did", async () => {
    const { rows, totals } = await report({ ...day, groupBy: "campaign" });
    expect(rows.map((r: any) => [r.label, r.visits, r.conversions, r.revenue, r.cost])).toEqual([
      ["C1", 5, 2, 12, 0.1],
      ["C2", 1, 1, 4, 0],
    ]);
    expect(totals).toMatchObject({ visits: 6, conversions: 3, revenue: 16, cost: 0.1 });
    const byCountry = await report({ ...day, groupBy: "country" });
    expect(byCountry.rows.map((r: any) => [r.key, r.visits, r.conversions, r.revenue])).toEqual([
      ["PL", 3, 1, 2],
      ["US", 2, 1, 10],
      ["XX", 1, 1, 4],
    ]);
  });

  it("turns query parameters into var1…var10 and the referrer into its domain", async () => {
    const byVar = await report({ ...day, groupBy: "var1", campaignId: c1 });
    expect(byVar.rows.map((r: any) => [r.key, r.visits])).toEqual([
      ["z1", 3],
      ["z2", 2],
    ]);
    const byReferrer = await report({ ...day, groupBy: "referrerDomain" });
    // Equal visits: the key decides, "none" first.
    expect(byReferrer.rows.map((r: any) => [r.key, r.visits])).toEqual([
      [null, 3],
      ["news.example", 3],
    ]);
    const res = await api("GET", `/visits/${firstClick}`);
    expect(await res.json()).toMatchObject({
      visit: { externalId: "e1", userAgent: "Old UA", country: "PL", var1: "z1", referrerDomain: "news.example" },
      conversions: [
        expect.objectContaining({ payout: 1.5 }),
        expect.objectContaining({ payout: 0.5, type: "install" }),
      ],
    });
  });

  it("empties the old table and moves nothing twice when run again", async () => {
    expect((await env.DB.prepare("SELECT count(*) AS n FROM visits").first<{ n: number }>())!.n).toBe(0);
    const before = await report({ ...day, groupBy: "country" });
    await runBackfill();
    expect(await report({ ...day, groupBy: "country" })).toEqual(before);
  });
});
