import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { api, call, click, created, eventually, setupCampaign } from "./helpers";
import { daysQuery, getJson } from "./report-helpers";

/**
 * A postback stores its conversion event; the cron adds it to the rollups later. Reports read
 * the events not applied yet, so they show the same numbers before and after.
 */
async function runCron() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const unapplied = async (campaignId: number) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM conversion_events WHERE campaign_id = ?1 AND applied = 0")
      .bind(campaignId)
      .first<{ n: number }>()
  )?.n;

/** What a user sees of the campaign, grouped several ways (entity, attribute, type, day rows). */
async function reports(campaignId: number) {
  const out: Record<string, unknown> = {};
  for (const groupBy of ["campaign", "offer", "country", "conversionType", "day"]) {
    const { rows, totals } = await getJson(`/report?${daysQuery()}&tz=UTC&groupBy=${groupBy}&campaignId=${campaignId}`);
    out[groupBy] = { rows, totals };
  }
  return out;
}

describe("conversion events applied to the rollups after the postback", () => {
  it("reports the same numbers between an event's registration and its application, and after", async () => {
    const { campaign } = await setupCampaign();
    const sale = await created(api("POST", "/conversion-types", { name: "deferred-sale" }));
    const { clickId } = await click(campaign.id);
    const { clickId: other } = await click(campaign.id);
    // Both visits stored (the queue consumer writes them after the redirect answers).
    const visits = async () =>
      (await getJson(`/report?${daysQuery()}&tz=UTC&groupBy=campaign&campaignId=${campaign.id}`)).totals.visits;
    expect(await eventually(visits, (n) => n === 2)).toBe(2);

    for (const query of [
      `cid=${clickId}&payout=2.5`,
      `cid=${other}&payout=1.25&txid=a&et=deferred-sale`,
      `cid=${other}&payout=4&txid=b&status=lead`,
    ]) {
      const res = await call(`/postback?${query}`);
      expect((await res.json()) as object, query).toMatchObject({ status: "accepted" });
    }
    // Registered, not applied: the rollups do not hold them yet.
    expect(await unapplied(campaign.id)).toBe(3);
    const before = await reports(campaign.id);
    expect((before.campaign as any).totals).toMatchObject({ visits: 2, conversions: 2, revenue: 3.75, pending: 1 });
    expect((before.conversionType as any).rows.map((r: any) => [r.key, r.conversions])).toEqual(
      expect.arrayContaining([[sale.id, 1]]),
    );

    await runCron();
    expect(await unapplied(campaign.id)).toBe(0);
    expect(await reports(campaign.id)).toEqual(before);
    // A second run (or a racing one) applies nothing again.
    await runCron();
    expect(await reports(campaign.id)).toEqual(before);
  });
});
