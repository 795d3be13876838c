import { shardOf, shardStub } from "../ingest/shards";
import { RowBatcher } from "../lib/row-batcher";
import { recordLanderClick as storeLanderClick } from "../visits/record";
import type { LanderClickRecord } from "../visits/types";

// Per isolate, one batcher per ingest shard: the lander clicks of a 100 ms window that belong to
// one shard reach it in one call (lib/row-batcher.ts: no note is lost when the isolate goes).
const notes = new WeakMap<Env["INGEST_SHARDS"], RowBatcher[]>();

function shardNotes(env: Env, shard: number): RowBatcher {
  let batchers = notes.get(env.INGEST_SHARDS);
  if (!batchers) notes.set(env.INGEST_SHARDS, (batchers = []));
  batchers[shard] ??= new RowBatcher(
    (rows) => shardStub(env, shard).noteLanderClicks(rows.map((r) => JSON.parse(r))),
    "lander click not noted in its shard",
    // A note repeated by a retry changes nothing (the first click wins).
    { maxWaitMs: 100, maxRows: 500, maxBytes: 90_000, retryDelayMs: 100 },
  );
  return batchers[shard];
}

/**
 * Records a lander click after the response (never throws, never delays the redirect): the
 * click ID's ingest shard learns which offer the visitor went to, for the attribution of a
 * conversion that arrives before any row is readable, and the click goes with the visits to
 * storage (src/visits: raw row, rollups' clicks and CTR).
 */
export function recordLanderClick(env: Env, ctx: Pick<ExecutionContext, "waitUntil">, click: LanderClickRecord): void {
  const { clickId, offerId, landerId, pathId, createdAt } = click;
  const note = JSON.stringify({ clickId, offerId, landerId, pathId, at: createdAt });
  const noted = shardNotes(env, shardOf(clickId)).add(note, clickId);
  if (noted) ctx.waitUntil(noted);
  const queued = storeLanderClick(env, ctx, click);
  if (queued) ctx.waitUntil(queued);
}
