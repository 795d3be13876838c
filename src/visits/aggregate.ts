import { AGGREGATE_VISITS, applyDeltas, CLICKS_IN_WINDOW } from "./rollup-sql";

/**
 * Lander clicks mostly come within minutes of their visit; visits are aggregated once this old,
 * so their clicks are stored by then and aggregate with them.
 */
export const AGGREGATION_LAG_MS = 5 * 60_000;
/** At most this often: each run writes one row per distinct key of its window. */
export const AGGREGATION_EVERY_MS = 5 * 60_000;
/** Raw visits per window at most (each statement stays far from D1's 30 s limit). */
const MAX_WINDOW_VISITS = 200_000;
/** Windows per cron run at most; a backlog drains over the next runs. */
const MAX_WINDOWS_PER_RUN = 10;

/**
 * Writes the attribute rows (country, device, var1…) of the visits and lander clicks of the
 * windows from dims_until to now − lag, moving dims_until with each window in its transaction.
 * The consumer writes each batch's entity rows at once, but one attribute row per distinct key of
 * a five-minute window costs far fewer rows written than one per key of each small batch
 * (docs/scale.md). Visits reaching D1 after their window get their attribute rows from the
 * consumer, which sees dims_until moved. Returns the windows written.
 */
export async function aggregateAttributes(d1: D1Database, now = Date.now()): Promise<{ from: number; to: number }[]> {
  const end = Math.floor((now - AGGREGATION_LAG_MS) / 1000) * 1000;
  const done: { from: number; to: number }[] = [];
  for (let i = 0; i < MAX_WINDOWS_PER_RUN; i++) {
    const window = await nextWindow(d1, end);
    if (!window) break;
    await d1.batch([
      // A second run over the same window fails here and rolls back whole.
      d1.prepare("INSERT INTO applied_messages (id) VALUES (?1)").bind(`dims-${window.from}`),
      d1.prepare("UPDATE rollup_state SET dims_until = ?1 WHERE id = 1").bind(window.to),
      d1.prepare(AGGREGATE_VISITS).bind(window.from, window.to),
      d1.prepare(applyDeltas("rollup_q", CLICKS_IN_WINDOW, { attributesOnly: true })).bind(window.from, window.to),
    ]);
    done.push(window);
    if (window.to >= end) break;
  }
  return done;
}

/** [dims_until, end), cut after MAX_WINDOW_VISITS visits; null while it is shorter than the cadence. */
async function nextWindow(d1: D1Database, end: number): Promise<{ from: number; to: number } | null> {
  const state = await d1
    .prepare(
      `SELECT s.dims_until AS "from",
        (SELECT created_at FROM raw_visits WHERE created_at >= s.dims_until ORDER BY created_at LIMIT 1 OFFSET ?1) AS cut,
        (SELECT min(created_at) FROM raw_visits WHERE created_at >= s.dims_until) AS first
      FROM rollup_state s WHERE s.id = 1`,
    )
    .bind(MAX_WINDOW_VISITS)
    .first<{ from: number; cut: number | null; first: number | null }>();
  if (!state) return null;
  // Nothing stored for a while: skip straight to the first visit (windows stay whole seconds).
  const from = Math.max(state.from, Math.min(end, Math.floor((state.first ?? end) / 1000) * 1000));
  const to = state.cut === null ? end : Math.max(Math.floor(state.cut / 1000) * 1000, from + 1000);
  if (to <= from || (to === end && end - state.from < AGGREGATION_EVERY_MS && state.from !== 0)) return null;
  return { from, to: Math.min(to, end) };
}
