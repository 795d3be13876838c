import { logError, logWarn } from "../lib/log";
import { parseMessage, type VisitMessage } from "./wire";
import { writeVisitMessages } from "./write";

/** Queue names as wrangler.toml declares them. */
export const VISIT_QUEUE_NAME = "clicktrail-visits";
export const VISIT_DLQ_NAME = "clicktrail-visits-dlq";
/** Where messages that could not be written wait for the cron to replay them. */
export const DEAD_LETTER_PREFIX = "dead-letters/";

/** 5 s, 10 s, 20 s … capped at 5 minutes: a minute-long D1 outage costs four retries. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(5 * 2 ** Math.max(0, attempts - 1), 300);
}

/**
 * The visits queue's consumer: the whole batch in one D1 transaction. If it fails, each message
 * is tried alone (one malformed message must not hold the others back); those that still fail
 * are retried later with a growing delay, then go to the dead-letter queue.
 */
export async function consumeVisits(batch: MessageBatch, env: Env): Promise<void> {
  const parsed = new Map<Message, VisitMessage>();
  for (const m of batch.messages) {
    try {
      parsed.set(m, parseMessage(m.body));
    } catch (err) {
      logError("visit queue: malformed message kept as a dead letter", m.id, String(err));
      await keepDeadLetter(env, m.id, m.body);
      m.ack();
    }
  }
  try {
    await writeVisitMessages(env.DB, [...parsed.values()]);
    for (const m of parsed.keys()) m.ack();
    return;
  } catch (err) {
    logWarn("visit queue: batch write failed, trying messages one by one", String(err));
  }
  for (const [m, body] of parsed) {
    try {
      await writeVisitMessages(env.DB, [body]);
      m.ack();
    } catch {
      m.retry({ delaySeconds: retryDelaySeconds(m.attempts) });
    }
  }
}

/** The dead-letter queue's consumer: one more try each, else the message is kept in R2. */
export async function consumeDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
  for (const m of batch.messages) {
    try {
      await writeVisitMessages(env.DB, [parseMessage(m.body)]);
    } catch (err) {
      logError("visit queue: dead letter kept in R2 for replay", m.id, String(err));
      await keepDeadLetter(env, m.id, m.body);
    }
    m.ack();
  }
}

async function keepDeadLetter(env: Env, id: string, body: unknown): Promise<void> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  await env.ARCHIVE.put(`${DEAD_LETTER_PREFIX}${id}.json`, text);
}

/** Replays dead letters kept in R2 (the cron calls it); returns how many were written. */
export async function replayDeadLetters(env: Env, limit = 100): Promise<number> {
  const listed = await env.ARCHIVE.list({ prefix: DEAD_LETTER_PREFIX, limit });
  let replayed = 0;
  for (const object of listed.objects) {
    const body = await env.ARCHIVE.get(object.key);
    if (!body) continue;
    try {
      await writeVisitMessages(env.DB, [parseMessage(await body.text())]);
      await env.ARCHIVE.delete(object.key);
      replayed++;
    } catch (err) {
      logWarn("dead letter not replayed yet", object.key, String(err));
    }
  }
  return replayed;
}
