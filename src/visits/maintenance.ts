import { BUCKET_MS, BUCKETS_PER_DAY } from "./dims";
import { applyDeltas, FOLD_DAYS, FOLD_QUARTERS, ORPHAN_SOURCE, ROLLUP_TABLES } from "./rollup-sql";

/** A click or conversion whose visit is not in D1 this long after the visit time is applied without it. */
export const ORPHAN_GRACE_MS = 60 * 60_000;
const FOLD_EVERY_QUARTERS = 4;
/** Message ids are kept this long: longer than a queue keeps a message (14 days at most). */
export const MESSAGE_ID_DAYS = 15;

/**
 * Folds the closed quarter hours into rollup_d and moves the watermark, in one transaction.
 * Late writes to a folded quarter update both tables (rollup-sql.ts), so a fold is never redone.
 * The "fold-<from>" id makes a second run over the same quarters fail and roll back whole.
 */
export async function foldClosedQuarters(d1: D1Database, now = Date.now()): Promise<{ from: number; to: number }> {
  const state = await d1
    .prepare("SELECT compacted_until AS q, dims_until AS dims FROM rollup_state WHERE id = 1")
    .first<{ q: number; dims: number }>();
  const from = state?.q ?? 0;
  // Only quarters whose attribute rows are complete (aggregate.ts) are folded.
  const to = Math.min(Math.floor(now / BUCKET_MS), Math.floor((state?.dims ?? 0) / BUCKET_MS));
  // Hourly: a day row touched by four quarters is written once, not four times.
  if (to <= from || (to - from < FOLD_EVERY_QUARTERS && from > 0)) return { from, to: from };
  await d1.batch([
    d1.prepare("INSERT INTO applied_messages (id) VALUES (?1)").bind(`fold-${from}`),
    d1.prepare(FOLD_QUARTERS).bind(from, to),
    d1.prepare("UPDATE rollup_state SET compacted_until = ?1 WHERE id = 1").bind(to),
  ]);
  return { from, to };
}

/** Adds whole UTC days already folded into rollup_d to the 2–32-day spans of rollup_l. */
export async function foldClosedDays(d1: D1Database): Promise<{ from: number; to: number }> {
  const state = await d1
    .prepare(
      `SELECT levels_until AS "from", compacted_until / ${BUCKETS_PER_DAY} AS done,
        (SELECT min(bucket) FROM rollup_d WHERE dim = 0) AS first FROM rollup_state WHERE id = 1`,
    )
    .first<{ from: number; done: number; first: number | null }>();
  if (!state) return { from: 0, to: 0 };
  // First run: from the first day there is.
  const from = state.from === 0 ? Math.min(state.first ?? state.done, state.done) : state.from;
  const to = Math.min(state.done, from + MAX_DAYS_PER_FOLD);
  if (to <= from) return { from, to: from };
  await d1.batch([
    d1.prepare("INSERT INTO applied_messages (id) VALUES (?1)").bind(`levels-${from}`),
    d1.prepare(FOLD_DAYS).bind(from, to),
    d1.prepare("UPDATE rollup_state SET levels_until = ?1 WHERE id = 1").bind(to),
  ]);
  return { from, to };
}

/** Days folded into rollup_l per run at most (a backlog drains over the next runs). */
const MAX_DAYS_PER_FOLD = 32;

/**
 * Clicks and conversions still waiting for a visit older than the grace period: the visit was
 * archived or never stored. They count under their campaign, offer and lander, with every
 * attribute unknown; exactly once, since they leave awaiting_visit in the same transaction.
 */
export async function applyOrphans(d1: D1Database, now = Date.now()): Promise<number> {
  const before = now - ORPHAN_GRACE_MS;
  const results = await d1.batch([
    ...ROLLUP_TABLES.map((t) => d1.prepare(applyDeltas(t, ORPHAN_SOURCE, { withVisit: false })).bind(before)),
    d1.prepare("DELETE FROM awaiting_visit WHERE visit_time < ?1").bind(before),
  ]);
  return results.at(-1)?.meta.changes ?? 0;
}

/** Forgets message ids older than any queue can redeliver. */
export async function pruneMessageIds(d1: D1Database, now = Date.now()): Promise<void> {
  const cutoff = (now - MESSAGE_ID_DAYS * 86_400_000).toString(36).padStart(9, "0");
  await d1.prepare("DELETE FROM applied_messages WHERE id < ?1").bind(cutoff).run();
}
