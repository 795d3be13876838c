import { ApiError } from "../lib/errors";
import { logError } from "../lib/log";
import type { ConversionStatus } from "../model/status";
import type { PendingConversion } from "./judge";
import type { ShardOutcome } from "./shard";

/**
 * Click IDs are spread over a fixed number of IngestShard objects by a hash of the ID. Never
 * change SHARD_COUNT on a live install: a click ID's earlier decisions would sit in another shard
 * (D1's unique key still stops a second row, but that repeat would be reported as accepted).
 */
export const SHARD_COUNT = 16;
/** Requests per RPC call: an upload costs one call per shard per chunk, not one per line. */
export const CHUNK = 2000;

/** FNV-1a over the click ID; its characters are already random, so this spreads evenly. */
export function shardOf(clickId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < clickId.length; i++) h = Math.imul(h ^ clickId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SHARD_COUNT;
}

export function shardStub(env: Env, index: number) {
  return env.INGEST_SHARDS.getByName(`shard-${index}`);
}

/**
 * Groups items by shard and runs `call` on each shard's chunks; shards in parallel, chunks in order.
 * Each shard commits on its own, so with `partial` a failed shard leaves null for its items (the
 * others' results stand and must be reported); without it, or when every call failed, it throws.
 */
async function perShard<I extends { clickId: string }, T>(
  env: Env,
  items: I[],
  call: (stub: ReturnType<typeof shardStub>, chunk: I[]) => Promise<T[]>,
  partial = false,
): Promise<(T | null)[]> {
  const groups = new Map<number, number[]>();
  items.forEach((item, i) => {
    const s = shardOf(item.clickId);
    const group = groups.get(s);
    if (group) group.push(i);
    else groups.set(s, [i]);
  });
  const out = new Array<T | null>(items.length).fill(null);
  let done = 0;
  const settled = await Promise.allSettled(
    [...groups].map(async ([shard, indexes]) => {
      const stub = shardStub(env, shard);
      for (let i = 0; i < indexes.length; i += CHUNK) {
        const slice = indexes.slice(i, i + CHUNK);
        const results = await withRetry(() =>
          call(
            stub,
            slice.map((j) => items[j]!),
          ),
        );
        slice.forEach((j, k) => {
          out[j] = results[k]!;
        });
        done += slice.length;
      }
    }),
  );
  const failed = settled.find((s) => s.status === "rejected");
  if (failed && (!partial || done === 0)) throw failed.reason;
  return out;
}

/** One retry for errors the runtime marks retryable (e.g. the object was reset); else 503. */
async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { retryable?: boolean; overloaded?: boolean };
    if (e.retryable && !e.overloaded) {
      try {
        return await fn();
      } catch (again) {
        throw unavailable(again);
      }
    }
    throw unavailable(err);
  }
}

/** The one 503 of conversion ingest: logs what failed, tells the caller only to retry. */
export function storageUnavailable(what: string, cause: unknown): ApiError {
  logError(what, String(cause));
  return new ApiError("unavailable", "Conversion storage is unavailable, retry later");
}

const unavailable = (cause: unknown) => storageUnavailable("ingest shard unavailable", cause);

/** Each item's outcome; null where its shard failed while others committed (see perShard). */
export function registerInShards(
  env: Env,
  items: PendingConversion[],
  deferD1Write: boolean,
): Promise<(ShardOutcome | null)[]> {
  return perShard(env, items, (stub, chunk) => stub.register(chunk, deferD1Write), true);
}

/** For lander visits (offer chosen at GET /click): the offer each click ID was sent to, 0 where none. */
export async function chosenOffersInShards(env: Env, clickIds: string[]): Promise<number[]> {
  return (await perShard(
    env,
    clickIds.map((clickId) => ({ clickId })),
    (stub, chunk) => stub.chosenOffers(chunk.map((c) => c.clickId)),
  )) as number[];
}

/** Each item's current status in its shard (null: not registered), deciding nothing. */
export function peekInShards(env: Env, items: PendingConversion[]): Promise<(ConversionStatus | null)[]> {
  return perShard(env, items, (stub, chunk) => stub.peek(chunk.map((c) => c.dedupeKey)));
}
