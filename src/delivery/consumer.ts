import type { SourcePostbackRow } from "../db/schema";
import { getConfig } from "../lib/config";
import { getDb } from "../lib/db";
import { logError, logWarn } from "../lib/log";
import { callPostback } from "./call";
import type { SourcePostbackMessage } from "./create";
import { type PlatformStep, platformDelivery } from "./platforms/deliver";
import { claimDelivery, dropDelivery, failWithoutCall, markFailed, recordAttempt, releaseDelivery } from "./queries";
import { retryDelaySeconds, VISIT_WAIT_MS, visitWaitSeconds } from "./schedule";
import { fillPostbackUrl, needsVisit, postbackTokens } from "./tokens";
import { visitValues } from "./visit";

/** Queue names as wrangler.toml declares them. */
export const SOURCE_POSTBACK_QUEUE = "clicktrail-source-postbacks";
export const SOURCE_POSTBACK_DLQ = "clicktrail-source-postbacks-dlq";

/** Longer than one call can take (10 s timeout) plus the D1 writes around it. */
const LEASE_MS = 60_000;

function messageBody(body: unknown): SourcePostbackMessage | null {
  const b = body as Partial<SourcePostbackMessage> | null;
  return b && typeof b.id === "string" ? { id: b.id, visitWaits: Number(b.visitWaits) || 0 } : null;
}

/**
 * Simultaneous outgoing connections one Worker invocation may hold: more calls would wait inside
 * the runtime for a free connection while their own 10 s timeout runs.
 */
export const CALLS_AT_ONCE = 6;

/**
 * The postbacks queue's consumer: each message is one call of one delivery, settled on its own,
 * CALLS_AT_ONCE at a time (a pool of six lines, each taking the next message when its call ends).
 */
export async function consumeSourcePostbacks(batch: MessageBatch, env: Env): Promise<void> {
  const waiting = [...batch.messages];
  const line = async () => {
    for (let m = waiting.shift(); m; m = waiting.shift()) await deliver(m, env);
  };
  await Promise.all(Array.from({ length: Math.min(CALLS_AT_ONCE, waiting.length) }, line));
}

async function deliver(message: Message, env: Env): Promise<void> {
  const body = messageBody(message.body);
  if (!body) {
    logError("source postbacks: malformed message dropped", message.id);
    return message.ack();
  }
  const db = getDb(env.DB);
  const now = Date.now();
  try {
    // Not pending (delivered, failed, pruned) or held by another copy of this message: nothing to do.
    const row = await claimDelivery(db, body.id, now, LEASE_MS);
    if (!row) return message.ack();
    const attempt = row.kind === "url" ? await urlAttempt(env, row) : await platformDelivery(env, db, row);
    if (attempt.step === "wait") {
      if (now - row.createdAt > VISIT_WAIT_MS) {
        await failWithoutCall(db, row.id, attempt.reason, now);
      } else {
        // A new message, so waiting for the visit spends none of the call's retries.
        const waits = body.visitWaits ?? 0;
        await env.SOURCE_POSTBACKS.send({ id: row.id, visitWaits: waits + 1 } satisfies SourcePostbackMessage, {
          delaySeconds: visitWaitSeconds(waits),
        });
        await releaseDelivery(db, row.id);
      }
      return message.ack();
    }
    // The visit lacks the platform's click ID: the platform could not attribute it, so nothing is sent.
    if (attempt.step === "drop") {
      await dropDelivery(db, row.id);
      return message.ack();
    }
    if (attempt.step === "fail") {
      await failWithoutCall(db, row.id, attempt.error, now);
      return message.ack();
    }
    const { result, shownUrl } = attempt;
    const state = result.outcome === "retry" ? "pending" : result.outcome;
    const error = result.outcome === "delivered" ? null : result.error;
    await recordAttempt(db, row.id, { state, url: shownUrl, httpStatus: result.httpStatus, error }, Date.now());
    if (result.outcome === "retry")
      return message.retry({ delaySeconds: retryDelaySeconds(message.attempts, result.retryAfterS) });
    message.ack();
  } catch (err) {
    // D1 or the queue failed, not the network: the same growing delays.
    logWarn("source postbacks: delivery not settled, retrying", body.id, String(err));
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}

/** A call of the source's postback URL, once the visit its tokens need is stored. */
async function urlAttempt(env: Env, row: SourcePostbackRow): Promise<PlatformStep> {
  const visit = needsVisit(row.template) ? await visitValues(getConfig(env).clickIdSecret ?? "", env.DB, row) : null;
  if (needsVisit(row.template) && !visit)
    return { step: "wait", reason: `the visit of click ${row.clickId} is not stored, so {externalid} is unknown` };
  const url = fillPostbackUrl(row.template, postbackTokens(row, visit));
  return { step: "called", shownUrl: url, result: await callPostback(url) };
}

/** The dead-letter queue's consumer: a delivery whose retries ran out is failed (its last error stays). */
export async function consumeSourcePostbackDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
  const db = getDb(env.DB);
  for (const message of batch.messages) {
    const body = messageBody(message.body);
    if (body) await markFailed(db, body.id, Date.now());
    message.ack();
  }
}
