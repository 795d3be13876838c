import { shardOf, shardStub } from "../ingest/shards";
import { RowBatcher } from "../lib/row-batcher";

/** Contract A's lander click (part2.md), as GET /click records it. */
export interface LanderClickRecord {
  clickId: string;
  /** The visit's time (from the click ID), epoch ms. */
  visitTime: number;
  campaignId: number;
  landerId: number;
  pathId: number | null;
  /** The offer the visitor is sent to. */
  offerId: number;
  /** Epoch ms of the lander click. */
  createdAt: number;
}

const INSERT = `INSERT INTO lander_clicks
  (id, click_id, visit_time, created_at, campaign_id, lander_id, path_id, offer_id)
SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7
FROM json_each(?1) WHERE true
ON CONFLICT (id) DO NOTHING`;

const batchers = new WeakMap<D1Database, RowBatcher>();

/**
 * Records a lander click after the response (never throws, never delays the redirect): the
 * click ID's ingest shard learns which offer the visitor went to, for the attribution of a
 * conversion that arrives before any row is readable, and the row joins a batched D1 write
 * (as visits do, lib/row-batcher.ts) for reports.
 */
export function recordLanderClick(env: Env, ctx: Pick<ExecutionContext, "waitUntil">, click: LanderClickRecord): void {
  const { clickId, offerId, landerId, pathId, createdAt } = click;
  ctx.waitUntil(
    shardStub(env, shardOf(clickId))
      .noteLanderClick({ clickId, offerId, landerId, pathId, at: createdAt })
      .catch((err: unknown) => console.error("lander click not noted in its shard", clickId, String(err))),
  );
  let batcher = batchers.get(env.DB);
  if (!batcher) {
    const write = async (rows: string[]) =>
      void (await env.DB.prepare(INSERT)
        .bind(`[${rows.join(",")}]`)
        .run());
    batcher = new RowBatcher(write, "lander click not recorded", {
      maxWaitMs: 100,
      maxRows: 500,
      maxBytes: 90_000,
      retryDelayMs: 100,
    });
    batchers.set(env.DB, batcher);
  }
  const row = [crypto.randomUUID(), clickId, click.visitTime, createdAt, click.campaignId, landerId, pathId, offerId];
  const write = batcher.add(JSON.stringify(row), clickId);
  if (write) ctx.waitUntil(write);
}
