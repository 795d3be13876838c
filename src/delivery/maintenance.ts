import { logError } from "../lib/log";
import { enqueue } from "./create";

/** Deliveries are kept this long, whatever their state. */
export const RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** Stored this long ago and still not sent: the write's own send did not happen. */
const UNSENT_AFTER_MS = 60_000;
/** Pending this long after the last change: the queue lost it (retries end after 28 hours). */
const STALE_AFTER_MS = 48 * 60 * 60 * 1000;
const SWEEP_LIMIT = 1000;
const PRUNE_CHUNK = 5000;

/** Sends deliveries that were stored but never handed to the queue; returns how many. */
export async function sweepUnsent(env: Env, now = Date.now()): Promise<number> {
  const { results } = await env.DB.prepare(
    `SELECT id FROM source_postbacks WHERE enqueued_at IS NULL AND state = 'pending' AND created_at < ?1
     ORDER BY created_at LIMIT ?2`,
  )
    .bind(now - UNSENT_AFTER_MS, SWEEP_LIMIT)
    .all<{ id: string }>();
  if (results.length > 0)
    await enqueue(
      env.DB,
      env.SOURCE_POSTBACKS,
      results.map((r) => r.id),
      now,
    );
  return results.length;
}

/** Deletes deliveries older than 30 days, a chunk per statement so none runs long. */
export async function pruneDeliveries(d1: D1Database, now = Date.now()): Promise<number> {
  let deleted = 0;
  for (;;) {
    const res = await d1
      .prepare(
        `DELETE FROM source_postbacks WHERE seq IN
           (SELECT seq FROM source_postbacks WHERE created_at < ?1 ORDER BY created_at LIMIT ?2)`,
      )
      .bind(now - RETENTION_MS, PRUNE_CHUNK)
      .run();
    deleted += res.meta.changes;
    if (res.meta.changes < PRUNE_CHUNK) return deleted;
  }
}

/** A pending delivery no message carries any more (a lost dead letter) shows as failed, so it can be retried. */
export async function failStale(d1: D1Database, now = Date.now()): Promise<number> {
  const res = await d1
    .prepare(
      `UPDATE source_postbacks SET state = 'failed', last_error = coalesce(last_error, 'no answer recorded'),
         updated_at = ?1 WHERE state = 'pending' AND enqueued_at IS NOT NULL AND updated_at < ?2`,
    )
    .bind(now, now - STALE_AFTER_MS)
    .run();
  return res.meta.changes;
}

/**
 * The source postbacks' share of the cron (wrangler.toml, every 5 minutes). Each step is
 * idempotent and logs its own failure; the worker's scheduled() calls this beside other features'.
 */
export async function runSourcePostbackCron(env: Env, now = Date.now()): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    ["send unsent", () => sweepUnsent(env, now)],
    ["fail stale", () => failStale(env.DB, now)],
    ["prune", () => pruneDeliveries(env.DB, now)],
  ];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (err) {
      logError(`source postbacks cron: ${name} failed`, String(err));
    }
  }
}
