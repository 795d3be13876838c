import { shardOf, shardStub } from "../ingest/shards";
import { recordLanderClick as storeLanderClick } from "../visits/record";
import type { LanderClickRecord } from "../visits/types";

/**
 * Records a lander click after the response (never throws, never delays the redirect): the
 * click ID's ingest shard learns which offer the visitor went to, for the attribution of a
 * conversion that arrives before any row is readable, and the click goes with the visits to
 * storage (src/visits: raw row, rollups' clicks and CTR).
 */
export function recordLanderClick(env: Env, ctx: Pick<ExecutionContext, "waitUntil">, click: LanderClickRecord): void {
  const { clickId, offerId, landerId, pathId, createdAt } = click;
  ctx.waitUntil(
    shardStub(env, shardOf(clickId))
      .noteLanderClick({ clickId, offerId, landerId, pathId, at: createdAt })
      .catch((err: unknown) => console.error("lander click not noted in its shard", clickId, String(err))),
  );
  const queued = storeLanderClick(env, ctx, click);
  if (queued) ctx.waitUntil(queued);
}
