import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ingest } from "../src/ingest";
import type { IngestShard } from "../src/ingest/shard";
import { shardOf, shardStub } from "../src/ingest/shards";
import { mintClickId } from "../src/lib/clickid";
import { call, click, setupCampaign } from "./helpers";

const countRows = (clickId: string) =>
  env.DB.prepare("SELECT count(*) AS n FROM conversions WHERE click_id = ?").bind(clickId).first<number>("n");
const rename = (from: string, to: string) => env.DB.exec(`ALTER TABLE ${from} RENAME TO ${to}`);

async function postback(query: string) {
  const res = await call(`/postback?${query}`);
  return { status: res.status, body: (await res.json()) as { status?: string; conversionId?: string; error?: string } };
}

describe("exactly once", () => {
  it("50 concurrent identical postbacks: one accepted, 49 duplicates, one row", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const answers = await Promise.all(Array.from({ length: 50 }, () => postback(`cid=${clickId}&payout=4&txid=T1`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.status === "accepted")).toHaveLength(1);
    expect(answers.filter((a) => a.body.status === "duplicate")).toHaveLength(49);
    expect(await countRows(clickId)).toBe(1);
  });

  it("an upload-sized batch racing postbacks for the same click IDs registers each conversion once", async () => {
    const { campaign, offer } = await setupCampaign();
    const ids = await Promise.all(
      Array.from({ length: 1500 }, () =>
        mintClickId(env.CLICKID_SECRET, { visitTime: Date.now(), campaignId: campaign.id, offerId: offer.id }),
      ),
    );
    const contested = ids.slice(0, 20);
    const [upload, ...posts] = await Promise.all([
      ingest(
        env,
        ids.map((clickId) => ({ source: "upload" as const, clickId, payout: "1" })),
      ),
      ...contested.map((cid) => postback(`cid=${cid}`)),
    ]);
    expect(upload).toHaveLength(ids.length);
    // Results come back in request order: every uncontested line is accepted.
    expect(upload!.slice(20).every((r) => r.status === "accepted")).toBe(true);
    contested.forEach((_, i) => {
      const statuses = [upload![i]!.status, posts[i]!.body.status].sort();
      expect(statuses).toEqual(["accepted", "duplicate"]);
    });
    const total = await env.DB.prepare("SELECT count(*) AS n FROM conversions WHERE campaign_id = ?")
      .bind(campaign.id)
      .first<number>("n");
    expect(total).toBe(ids.length);
  });

  it("uniqueness survives the shard object being evicted between two duplicates", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    expect((await postback(`cid=${clickId}&txid=A`)).body.status).toBe("accepted");
    const stub = shardStub(env, shardOf(clickId));
    await evictDurableObject(stub);
    // Even with D1's row gone, the shard's own storage still knows the conversion.
    await env.DB.prepare("DELETE FROM conversions WHERE click_id = ?").bind(clickId).run();
    expect(await postback(`cid=${clickId}&txid=A`)).toEqual({ status: 200, body: { status: "duplicate" } });
    expect((await postback(`cid=${clickId}&txid=B`)).body.status).toBe("accepted");
  });

  it("D1 failing on the first write: the postback is accepted, the alarm writes it, exactly one row", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const stub = shardStub(env, shardOf(clickId));
    await rename("conversions", "conversions_away");
    let first: Awaited<ReturnType<typeof postback>> | undefined;
    try {
      first = await postback(`cid=${clickId}&payout=2`);
      expect(first.body.status).toBe("accepted");
      expect(await stub.outboxSize()).toBe(1);
      // The alarm keeps retrying while D1 still fails, and the object may be evicted meanwhile.
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      expect(await stub.outboxSize()).toBe(1);
      await evictDurableObject(stub);
    } finally {
      await rename("conversions_away", "conversions");
    }
    expect(await countRows(clickId)).toBe(0);
    expect(await postback(`cid=${clickId}&payout=2`)).toEqual({ status: 200, body: { status: "duplicate" } });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.outboxSize()).toBe(0);
    const row = await env.DB.prepare("SELECT id, payout_micros FROM conversions WHERE click_id = ?")
      .bind(clickId)
      .first();
    expect(row).toEqual({ id: first.body.conversionId, payout_micros: 2_000_000 });
    expect(await runDurableObjectAlarm(stub)).toBe(false);
    expect(await countRows(clickId)).toBe(1);
  });

  it("an outbox record from before statuses whose row D1 already holds is upgraded, not written twice", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const stub = shardStub(env, shardOf(clickId));
    await postback(`cid=${clickId}`);
    // Put the already-written row back into the outbox in the format of before statuses (no status,
    // version or previous fields): the alarm must upgrade it (ingest/legacy.ts) and find D1's row.
    await runInDurableObject(stub, async (_: IngestShard, state) => {
      const row = await env.DB.prepare("SELECT * FROM conversions WHERE click_id = ?")
        .bind(clickId)
        .first<Record<string, unknown>>();
      const record = {
        id: row!.id,
        dedupeKey: row!.dedupe_key,
        clickId,
        campaignId: row!.campaign_id,
        offerId: row!.offer_id,
        typeId: null,
        txid: null,
        payoutMicros: 0,
        conversionTime: 1,
        receivedAt: 1,
        source: "postback",
      };
      state.storage.sql.exec("INSERT INTO outbox (id, record) VALUES (?, ?)", row!.id, JSON.stringify(record));
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.outboxSize()).toBe(0);
    expect(await countRows(clickId)).toBe(1);
  });

  it("storage unavailable before the decision: 503, nothing registered, the network's retry is accepted", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    await rename("offers", "offers_away");
    try {
      const res = await postback(`cid=${clickId}`);
      expect(res.status).toBe(503);
      expect(res.body.error).toMatch(/unavailable/i);
    } finally {
      await rename("offers_away", "offers");
    }
    expect(await countRows(clickId)).toBe(0);
    expect((await postback(`cid=${clickId}`)).body.status).toBe("accepted");
    expect(await countRows(clickId)).toBe(1);
  });
});
