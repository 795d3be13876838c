import { jsonChunks } from "../lib/json-chunks";
import type { ConversionEvent } from "../model/conversion-event";
import { applyDeltas, awaitVisit, EVENT_SOURCE, ROLLUP_TABLES } from "./rollup-sql";

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
// (ingest/d1-write.ts) moves no number. ON CONFLICT: a retry of an event already stored.
const INSERT_EVENTS = `INSERT INTO conversion_events (${FIELDS.map(([c]) => c).join(", ")}, batch)
SELECT ${FIELDS.map((_, i) => `value ->> ${i}`).join(", ")}, ?2 FROM json_each(?1)
WHERE EXISTS (SELECT 1 FROM conversions c WHERE c.id = value ->> 1)
ON CONFLICT DO NOTHING`;

/**
 * the statements that store conversion events and apply them to the rollups, for the
 * caller to put in the same D1 batch as the conversion rows, after them. An event is applied by
 * the batch that inserted it (its token), so a retry applies nothing twice; an event whose visit
 * is not in D1 yet waits in awaiting_visit for the visit's write to apply it.
 */
export function conversionEventStatements(d1: D1Database, events: ConversionEvent[]): D1PreparedStatement[] {
  if (events.length === 0) return [];
  const token = crypto.randomUUID();
  const statements: D1PreparedStatement[] = [];
  // Compact arrays in FIELDS order: more events per statement than objects would carry.
  for (const chunk of jsonChunks(events.map((e) => JSON.stringify(FIELDS.map(([, f]) => e[f]))))) {
    statements.push(
      d1.prepare(INSERT_EVENTS).bind(chunk, token),
      ...ROLLUP_TABLES.map((t) => d1.prepare(applyDeltas(t, EVENT_SOURCE)).bind(chunk, token)),
      d1.prepare(awaitVisit(EVENT_SOURCE)).bind(chunk, token),
    );
  }
  return statements;
}
