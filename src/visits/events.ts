import { valuesStatements } from "../lib/sql-values";
import type { ConversionEvent } from "../model/conversion-event";
import { applyDeltas, awaitVisit, NEXT_UNAPPLIED, ROLLUP_TABLES, UNAPPLIED_EVENT_SOURCE } from "./rollup-sql";

const FIELDS = [
  ["id", "id"],
  ["conversion_id", "conversionId"],
  ["click_id", "clickId"],
  ["visit_time", "visitTime"],
  ["campaign_id", "campaignId"],
  ["offer_id", "offerId"],
  ["lander_id", "landerId"],
  ["type_id", "typeId"],
  ["status", "status"],
  ["previous_status", "previousStatus"],
  ["payout_micros", "payoutMicros"],
  ["previous_payout_micros", "previousPayoutMicros"],
  ["at", "at"],
] as const;

// Only events of a stored conversion: a registration D1 refused as a duplicate of another id
// (ingest/d1-write.ts) moves no number. ON CONFLICT: a retry of an event already stored, which
// keeps its applied flag, so nothing is applied twice. The rows are SQL literals
// (lib/sql-values.ts): SQLite takes them faster than it unpacks a JSON parameter.
const INSERT_EVENTS = `INSERT INTO conversion_events (${FIELDS.map(([c]) => c).join(", ")}, batch, applied)
SELECT *, '', 0 FROM (`;
const ONLY_STORED = `) AS v WHERE EXISTS (SELECT 1 FROM conversions c WHERE c.id = v.column2) ON CONFLICT DO NOTHING`;

/**
 * The statements that store conversion events, for the caller to put in the same D1 batch as
 * the conversion rows, after them. Only stored here: preparing and running the rollup
 * statements for the few events of one write cost a postback more than everything else it does,
 * so applyConversionEvents adds them to the rollups later, thousands at a time, and reports add
 * the events not applied yet (reports/rollup-read.ts).
 */
export function conversionEventStatements(d1: D1Database, events: ConversionEvent[]): D1PreparedStatement[] {
  const rows = events.map((e) => FIELDS.map(([, f]) => e[f]));
  return valuesStatements(INSERT_EVENTS, rows, ONLY_STORED).map((sql) => d1.prepare(sql));
}

/** Events applied per transaction: a few seconds of heavy postback traffic, far from D1's 30 s. */
export const APPLY_BATCH = 5_000;
/** Transactions per call at most (a backlog drains over the next cron runs). */
const MAX_BATCHES = 20;

/**
 * Applies stored events to the rollups (an event whose visit is not in D1 yet waits in
 * awaiting_visit for it), oldest id first. Exactly once: each transaction applies the events it
 * marks applied, and D1 runs transactions one at a time, so a second applier racing this one, or
 * a retry after an unclear failure, finds them marked. Returns how many were applied.
 */
export async function applyConversionEvents(d1: D1Database, batch = APPLY_BATCH): Promise<number> {
  let applied = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const results = await d1.batch([
      ...ROLLUP_TABLES.map((t) => d1.prepare(applyDeltas(t, UNAPPLIED_EVENT_SOURCE)).bind(batch)),
      d1.prepare(awaitVisit(UNAPPLIED_EVENT_SOURCE)).bind(batch),
      d1.prepare(`UPDATE conversion_events SET applied = 1 WHERE id IN (${NEXT_UNAPPLIED})`).bind(batch),
    ]);
    const marked = results.at(-1)?.meta.changes ?? 0;
    applied += marked;
    if (marked < batch) break;
  }
  return applied;
}
