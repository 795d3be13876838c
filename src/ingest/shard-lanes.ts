import type { PendingConversion } from "./judge";
import type { ShardOutcome } from "./shard";
import { CHUNK, registerInShards, shardOf, storageUnavailable } from "./shards";

/**
 * One postback or pixel hit joins the registrations this isolate is about to send its shard
 * (docs/conversions.md, "Source of truth"). The hit that finds its shard's lane free sends,
 * after a zero-delay wait on the runtime's timer, every hit queued for that shard by then, in one
 * call; hits that come while a call is in flight wait, and the first of them to look once it has
 * returned sends them all. Under load this divides the shard's calls and durable commits (about
 * 3 hits a call under the bench's postbacks, docs/performance.md); a lone hit waits only that
 * zero-delay wait. The shard decides a batch item by item, in order (IngestShard.register), so
 * each hit's answer is the one it would have had alone.
 *
 * The runtime's rules shape the waiting: a request may not resolve a promise another request
 * awaits ("Cannot perform I/O on behalf of a different request"), and one that awaits nothing
 * but another request's work is cancelled as hung. So a call runs under its sender's waitUntil
 * (it settles everyone in it even if the sender's client leaves) and writes each outcome into
 * the waiting entry, and a waiting hit looks every POLL_MS on a timer of its own, giving up
 * after WAIT_MS with the 503 of an unavailable shard.
 */
const WAIT_MS = 30_000;
const POLL_MS = 4;
// The runtime's own timer, not Node's setTimeout of nodejs_compat: bench:ab measured 0.84x the CPU
// per postback and a third more hits per call with it (docs/performance.md).
const sleep = (ms: number) => scheduler.wait(ms);

type Result = { outcome: ShardOutcome } | { error: unknown };

interface Waiting {
  item: PendingConversion;
  /** Taken into a call: its result comes from that call. */
  claimed: boolean;
  result: Result | null;
}

interface Lane {
  /** When the call in flight was sent; 0: none. */
  busySince: number;
  queue: Waiting[];
}

const lanes = new Map<string, Lane>();

/** Hits this isolate's lanes sent and the shard calls that took them (the bench prints both). */
export const laneCounts = { hits: 0, calls: 0 };

export async function registerInLane(
  env: Env,
  item: PendingConversion,
  deferD1Write: boolean,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<ShardOutcome> {
  const shard = shardOf(item.clickId);
  const key = `${shard}:${deferD1Write}`;
  let lane = lanes.get(key);
  if (!lane) lanes.set(key, (lane = { busySince: 0, queue: [] }));
  const me: Waiting = { item, claimed: false, result: null };
  lane.queue.push(me);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (me.result) {
      if ("error" in me.result) throw me.result.error;
      return me.result.outcome;
    }
    const now = Date.now();
    if (!me.claimed && (lane.busySince === 0 || now - lane.busySince > WAIT_MS)) {
      const call = send(env, lane, deferD1Write);
      waitUntil(call);
      await call;
      continue;
    }
    if (now >= deadline)
      throw storageUnavailable("ingest shard: no answer to a batched registration", `shard ${shard}`);
    await sleep(POLL_MS);
  }
}

async function send(env: Env, lane: Lane, deferD1Write: boolean): Promise<void> {
  const since = Date.now();
  lane.busySince = since;
  // Hits that arrive before the runtime's timer fires join this call.
  await sleep(0);
  const batch = lane.queue.splice(0, CHUNK);
  for (const w of batch) w.claimed = true;
  laneCounts.calls++;
  laneCounts.hits += batch.length;
  try {
    // One shard and at most CHUNK items: one call, its outcomes all there or a throw.
    const outcomes = await registerInShards(
      env,
      batch.map((w) => w.item),
      deferD1Write,
    );
    batch.forEach((w, i) => {
      w.result = { outcome: outcomes[i]! };
    });
  } catch (error) {
    for (const w of batch) w.result = { error };
  } finally {
    if (lane.busySince === since) lane.busySince = 0;
  }
}
