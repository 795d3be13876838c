import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { ruleNotifications } from "../../db/schema";
import { callPostback } from "../../delivery/call";
import { retryDelaySeconds } from "../../delivery/schedule";
import { type Db, getDb } from "../../lib/db";
import { logWarn } from "../../lib/log";
import type { ReportRow } from "../../reports/queries";

/**
 * A notify action's webhook call (docs/rules.md). Deliveries ride the source-postback queue
 * with its retries (429, 5xx, timeouts and network errors, 10 s … 12 h) and dead-letter queue;
 * any other 4xx fails at once. Messages are told apart by `kind`.
 */
export const NOTIFY_KIND = "rule-notify";
export interface NotifyMessage {
  kind: typeof NOTIFY_KIND;
  id: number;
}

/** The JSON a webhook receives: one call per rule and campaign, with every value that acted. */
export function notifyPayload(
  rule: { id: number | null; name: string },
  campaignId: number,
  dimension: string,
  rows: ReportRow[],
  firedAt: number,
) {
  return {
    rule: { id: rule.id, name: rule.name },
    campaignId,
    dimension,
    matches: rows.map((r) => ({
      key: r.key,
      label: r.label,
      visits: r.visits,
      clicks: r.clicks,
      conversions: r.conversions,
      revenue: r.revenue,
      cost: r.cost,
      profit: r.profit,
      roi: r.roi,
    })),
    firedAt: new Date(firedAt).toISOString(),
  };
}

/** Stores the delivery, then queues it; one the queue refused keeps enqueued_at null for the cron. */
export async function queueNotification(
  db: Db,
  queue: Queue | undefined,
  d: { ruleId: number; campaignId: number; url: string; payload: unknown },
  now: number,
): Promise<number> {
  const row = await db
    .insert(ruleNotifications)
    .values({ ...d, payload: JSON.stringify(d.payload), createdAt: now, updatedAt: now })
    .returning({ id: ruleNotifications.id })
    .get();
  await send(db, queue, [row!.id], now);
  return row!.id;
}

async function send(db: Db, queue: Queue | undefined, ids: number[], now: number) {
  if (!queue || ids.length === 0) return;
  try {
    await queue.sendBatch(ids.map((id) => ({ body: { kind: NOTIFY_KIND, id } satisfies NotifyMessage })));
    await db
      .update(ruleNotifications)
      .set({ enqueuedAt: now })
      .where(sql`${ruleNotifications.id} in (select value from json_each(${JSON.stringify(ids)}))`);
  } catch (err) {
    logWarn("rule notifications: not queued yet, the cron will", String(err));
  }
}

/** The cron's sweep: deliveries stored but never queued (the queue was down) are sent now. */
export async function sweepUnsentNotifications(db: Db, queue: Queue | undefined, now: number): Promise<void> {
  const rows = await db
    .select({ id: ruleNotifications.id })
    .from(ruleNotifications)
    .where(and(isNull(ruleNotifications.enqueuedAt), eq(ruleNotifications.state, "pending")))
    .limit(100);
  await send(
    db,
    queue,
    rows.map((r) => r.id),
    now,
  );
}

const isNotify = (m: Message) => (m.body as Partial<NotifyMessage> | null)?.kind === NOTIFY_KIND;

/**
 * Splits a batch of the shared queue: notify messages are settled here, the rest go to `rest`
 * (the source-postback consumer) as a batch of their own.
 */
export async function withNotifications(
  batch: MessageBatch,
  env: Env,
  rest: (batch: MessageBatch, env: Env) => Promise<void>,
  deadLetters = false,
): Promise<void> {
  const ours = batch.messages.filter(isNotify);
  const others = batch.messages.filter((m) => !isNotify(m));
  const db = getDb(env.DB);
  await Promise.all(ours.map((m) => (deadLetters ? giveUp(db, m) : deliver(db, m))));
  if (others.length > 0 || ours.length === 0)
    await rest(
      {
        ...batch,
        queue: batch.queue,
        messages: others,
        retryAll: (o) => {
          for (const m of others) m.retry(o);
        },
        ackAll: () => {
          for (const m of others) m.ack();
        },
      } satisfies MessageBatch,
      env,
    );
}

async function deliver(db: Db, message: Message): Promise<void> {
  const { id } = message.body as NotifyMessage;
  try {
    const row = await db
      .select()
      .from(ruleNotifications)
      .where(and(eq(ruleNotifications.id, id), eq(ruleNotifications.state, "pending")))
      .get();
    if (!row) return message.ack();
    const result = await callPostback(row.url, row.payload);
    await db
      .update(ruleNotifications)
      .set({
        state: result.outcome === "retry" ? "pending" : result.outcome,
        attempts: sql`${ruleNotifications.attempts} + 1`,
        lastHttpStatus: result.httpStatus,
        lastError: result.outcome === "delivered" ? null : result.error,
        updatedAt: Date.now(),
      })
      .where(eq(ruleNotifications.id, id));
    if (result.outcome === "retry")
      return message.retry({ delaySeconds: retryDelaySeconds(message.attempts, result.retryAfterS) });
    message.ack();
  } catch (err) {
    logWarn("rule notifications: delivery not settled, retrying", id, String(err));
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}

/** Retries ran out: the delivery is failed, its last error kept. */
async function giveUp(db: Db, message: Message): Promise<void> {
  const { id } = message.body as NotifyMessage;
  await db
    .update(ruleNotifications)
    .set({ state: "failed", updatedAt: Date.now() })
    .where(and(eq(ruleNotifications.id, id), eq(ruleNotifications.state, "pending")));
  message.ack();
}

/** Deliveries and firings are kept this long. */
export const RULE_LOG_DAYS = 90;

export async function pruneNotifications(db: Db, now: number): Promise<void> {
  await db.delete(ruleNotifications).where(lt(ruleNotifications.createdAt, now - RULE_LOG_DAYS * 86_400_000));
}
