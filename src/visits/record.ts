import { getConfig } from "../lib/config";
import { logError, logWarn } from "../lib/log";
import { RowBatcher } from "../lib/row-batcher";
import type { RecordLanderClick, RecordVisit, WaitUntilContext } from "./types";
import { encodeLanderClick, encodeVisit, messageBody, newMessageId, parseMessage } from "./wire";
import { writeVisitMessages } from "./write";

/** Queues bill an operation per 64 KB of a message (and cap one at 128 KB): a batch stays under 64 KB. */
const MAX_MESSAGE_BYTES = 60_000;
const awaited = (env: Env) => getConfig(env).visitQueueSend === "awaited";

/**
 * Sends one message; should the queue refuse it twice, writes it to D1 directly (same message id,
 * so a send that did go through after all is skipped by the consumer). Throws only when both fail.
 */
export async function deliver(env: Env, id: string, rows: string[]): Promise<void> {
  const body = messageBody(id, rows);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await env.VISIT_QUEUE.send(body, { contentType: "text" });
      return;
    } catch (err) {
      if (attempt === 1) logWarn("visit queue send failed, writing D1 directly", String(err));
    }
  }
  await writeVisitMessages(env.DB, [parseMessage(body)]);
}

// One batcher per queue binding per isolate (the binding lives as long as the isolate).
const batchers = new WeakMap<Queue, RowBatcher>();

function batcher(env: Env): RowBatcher {
  let b = batchers.get(env.VISIT_QUEUE);
  if (!b) {
    b = new RowBatcher((rows) => deliver(env, newMessageId(), rows), "visits not recorded", {
      maxWaitMs: getConfig(env).visitBatchWaitMs,
      maxRows: 1000,
      maxBytes: MAX_MESSAGE_BYTES,
      // deliver() retries and falls back to D1 itself.
      retryDelayMs: null,
    });
    batchers.set(env.VISIT_QUEUE, b);
  }
  return b;
}

/**
 * Batched mode: the row joins this isolate's open batch; the request that opened it hands the
 * batch's send to waitUntil (lib/row-batcher.ts), so no redirect waits. Awaited mode: the row is
 * sent as its own message and the returned promise resolves once the queue holds it.
 */
function record(env: Env, ctx: WaitUntilContext, row: string, label: string): Promise<void> | undefined {
  if (awaited(env)) {
    return deliver(env, newMessageId(), [row]).catch((err) => logError("visit not recorded", label, err));
  }
  const write = batcher(env).add(row, label);
  if (write) ctx.waitUntil(write);
  return undefined;
}

export const recordVisit: RecordVisit = (env, ctx, visit) => record(env, ctx, encodeVisit(visit), visit.clickId);

export const recordLanderClick: RecordLanderClick = (env, ctx, click) =>
  record(env, ctx, encodeLanderClick(click), click.clickId);
