import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { BUCKET_MS } from "../src/visits/dims";
import { report, visitRecord, writeVisits } from "./report-helpers";

/**
 * migrations/0010_lander_offer_attribution.sql on rows in the previous release's shape: a lander
 * visit under no offer, its two clicks (offers 31 then 32) each under its own offer.
 * Afterwards: the visit, its cost and both clicks under 31, its first click's offer.
 */
it("moves a stored lander visit and its clicks to its first click's offer", async () => {
  const now = Date.now();
  const createdAt = now - 3_600_000;
  const visitTime = Math.floor(createdAt / 1000) * 1000;
  const clickId = "oldlander".padEnd(32, "o");
  await writeVisits([
    visitRecord({ clickId, createdAt, campaignId: 77, landerId: 5, offerId: null, costMicros: 40_000 }),
    visitRecord({ clickId: "never".padEnd(32, "n"), createdAt, campaignId: 77, landerId: 5, costMicros: 40_000 }),
  ]);
  for (const [offer, after] of [
    [31, 1000],
    [32, 2000],
  ]) {
    await env.DB.prepare(
      `INSERT INTO lander_clicks (visit_time, click_id, created_at, campaign_id, lander_id, path_id, offer_id)
       VALUES (?1, ?2, ?3, 77, 5, NULL, ?4)`,
    )
      .bind(visitTime, clickId, createdAt + after, offer)
      .run();
    await env.DB.prepare(
      `INSERT INTO rollup_q (dim, bucket, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value, clicks)
       VALUES (0, ?1, 77, 0, ?2, 5, 0, 0, 1)`,
    )
      .bind(Math.floor(createdAt / BUCKET_MS), offer)
      .run();
  }
  const day = new Date(createdAt).toISOString().slice(0, 10);
  const byOffer = async () =>
    Object.fromEntries(
      (await report({ from: day, to: day, campaignId: 77, groupBy: "offer" })).rows.map((r: any) => [
        r.key,
        [r.visits, r.cost, r.clicks],
      ]),
    );
  expect(await byOffer()).toEqual({ null: [2, 0.08, 0], 31: [0, 0, 1], 32: [0, 0, 1] });

  const migration = env.TEST_MIGRATIONS.find((m) => m.name.includes("lander_offer_attribution"))!;
  for (const sql of migration.queries) await env.DB.prepare(sql).run();
  expect(await byOffer()).toEqual({ null: [1, 0.04, 0], 31: [1, 0.04, 2] });
  // Run again: nothing moves.
  for (const sql of migration.queries) await env.DB.prepare(sql).run();
  expect(await byOffer()).toEqual({ null: [1, 0.04, 0], 31: [1, 0.04, 2] });
});
