import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CALLS_AT_ONCE, SOURCE_POSTBACK_QUEUE } from "../../src/delivery/consumer";
import worker from "../../src/index";
import { deliveryRow, standIn, storedDelivery } from "../source-postback-helpers";

// A batch of source postbacks calls the networks side by side, never more at once than a Worker
// invocation may hold connections.

describe("source postback batches", () => {
  it(`calls a batch's URLs concurrently, at most ${CALLS_AT_ONCE} at a time, and settles each`, {
    timeout: 30_000,
  }, async () => {
    const network = standIn();
    const n = 20;
    const deliveries = [];
    for (let i = 0; i < n; i++) deliveries.push(await storedDelivery(network.url(`/pb?i=${i}`)));
    // Each answer takes a while, so calls that are sent together are open together.
    await network.script(Array.from({ length: n }, () => ({ status: 200, delayMs: 400 })));
    const batch = createMessageBatch(
      SOURCE_POSTBACK_QUEUE,
      deliveries.map((d, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body: { id: d.id } })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(n);
    const calls = await network.calls();
    expect(calls).toHaveLength(n);
    const most = Math.max(...calls.map((c) => c.open));
    expect(most).toBeLessThanOrEqual(CALLS_AT_ONCE);
    expect(most).toBeGreaterThan(1);
    for (const d of deliveries) expect((await deliveryRow(d.id))!.state).toBe("delivered");
  });
});
