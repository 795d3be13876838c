import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { laneCounts } from "../src/ingest/shard-lanes";
import { shardOf, shardStub } from "../src/ingest/shards";
import { mintClickId } from "../src/lib/clickid";
import { call, setupCampaign } from "./helpers";

/** Postbacks bound for one shard from one isolate go in shared calls (src/ingest/shard-lanes.ts). */
const SHARD = 5;

async function clickIdsOfShard(n: number): Promise<string[]> {
  const { campaign, offer } = await setupCampaign();
  const ids: string[] = [];
  while (ids.length < n) {
    const id = await mintClickId(env.CLICKID_SECRET, {
      visitTime: Date.now(),
      campaignId: campaign.id,
      offerId: offer.id,
    });
    if (shardOf(id) === SHARD) ids.push(id);
  }
  return ids;
}

async function postback(query: string) {
  const res = await call(`/postback?${query}`);
  return { status: res.status, body: (await res.json()) as { status?: string; error?: string } };
}

const rowsOf = (ids: string[]) =>
  env.DB.prepare(`SELECT count(*) AS n FROM conversions WHERE click_id IN (SELECT value FROM json_each(?))`)
    .bind(JSON.stringify(ids))
    .first<number>("n");

describe("postbacks for one shard, sent together", () => {
  it("60 at once: fewer shard calls than postbacks, each answered as alone, each conversion once", async () => {
    const ids = await clickIdsOfShard(20);
    const before = { ...laneCounts };
    // Per click ID: transaction A twice (one is a duplicate, whichever comes second) and B once.
    const queries = ids.flatMap((cid) => [`cid=${cid}&txid=A`, `cid=${cid}&txid=B`, `cid=${cid}&txid=A`]);
    const answers = await Promise.all(queries.map(postback));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    ids.forEach((_, i) => {
      const [a1, b, a2] = answers.slice(3 * i, 3 * i + 3).map((a) => a.body.status);
      expect([a1, a2].sort()).toEqual(["accepted", "duplicate"]);
      expect(b).toBe("accepted");
    });
    expect(await rowsOf(ids)).toBe(40);
    expect(laneCounts.hits - before.hits).toBe(60);
    expect(laneCounts.calls - before.calls).toBeLessThan(60);
  });

  it("a call the shard fails: every postback in it is a 503, none registered, and the next ones go through", async () => {
    const ids = await clickIdsOfShard(12);
    const stub = shardStub(env, SHARD);
    const sql = (statement: string) => runInDurableObject(stub, (_o, state) => void state.storage.sql.exec(statement));
    await sql("ALTER TABLE decisions RENAME TO decisions_away");
    const before = { ...laneCounts };
    let failed: Awaited<ReturnType<typeof postback>>[];
    try {
      failed = await Promise.all(ids.map((cid) => postback(`cid=${cid}`)));
    } finally {
      await sql("ALTER TABLE decisions_away RENAME TO decisions");
    }
    expect(failed.map((a) => a.status)).toEqual(ids.map(() => 503));
    expect(failed[0]!.body.error).toMatch(/unavailable/i);
    expect(laneCounts.calls - before.calls).toBeLessThan(ids.length);
    expect(await rowsOf(ids)).toBe(0);
    const retried = await Promise.all(ids.map((cid) => postback(`cid=${cid}`)));
    expect(retried.map((a) => a.body.status)).toEqual(ids.map(() => "accepted"));
    expect(await rowsOf(ids)).toBe(ids.length);
  });
});
