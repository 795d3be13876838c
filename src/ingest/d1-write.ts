import { conversionEventStatements } from "../visits/events";
import type { ConversionEvent } from "./events";
import type { PendingConversion } from "./judge";

/** One conversions row as the ingest shard stores it in its outbox and writes it to D1. */
export type ConversionRecord = PendingConversion & { id: string };

// The whole chunk travels as one JSON parameter (D1 allows 100 bound parameters per statement,
// but a parameter may be large), so a chunk costs one statement, not one per row.
const ROWS_PER_STATEMENT = 500;

const INSERT = `
INSERT INTO conversions
  (id, dedupe_key, click_id, campaign_id, offer_id, type_id, txid, payout_micros, conversion_time, received_at, source)
SELECT
  json_extract(value, '$.id'), json_extract(value, '$.dedupeKey'), json_extract(value, '$.clickId'),
  json_extract(value, '$.campaignId'), json_extract(value, '$.offerId'), json_extract(value, '$.typeId'),
  json_extract(value, '$.txid'), json_extract(value, '$.payoutMicros'), json_extract(value, '$.conversionTime'),
  json_extract(value, '$.receivedAt'), json_extract(value, '$.source')
FROM json_each(?1) WHERE true
ON CONFLICT DO NOTHING
RETURNING id`;

/**
 * Writes conversions idempotently: a row whose id or dedupe key is already in D1 is skipped, so a
 * retry after an unclear failure never doubles a row. Returns the ids inserted by this call; one
 * D1 batch (a single transaction) for the lot, with the conversion events that update the rollups.
 */
export async function writeConversions(d1: D1Database, records: ConversionRecord[]): Promise<Set<string>> {
  if (records.length === 0) return new Set();
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
    statements.push(d1.prepare(INSERT).bind(JSON.stringify(records.slice(i, i + ROWS_PER_STATEMENT))));
  }
  const inserts = statements.length;
  // Contract B: each registration is one "approved" event, in the same transaction.
  statements.push(...conversionEventStatements(d1, records.map(registrationEvent)));
  const results = await d1.batch<{ id: string }>(statements);
  return new Set(results.slice(0, inserts).flatMap((r) => r.results.map((row) => row.id)));
}

function registrationEvent(r: ConversionRecord): ConversionEvent {
  return {
    id: `${r.id}:registered`,
    conversionId: r.id,
    clickId: r.clickId,
    // Records queued before visitTime existed: 0 finds no visit, so the cron applies them without one.
    visitTime: r.visitTime ?? 0,
    campaignId: r.campaignId,
    offerId: r.offerId,
    landerId: null,
    typeId: r.typeId,
    status: "approved",
    previousStatus: null,
    payoutMicros: r.payoutMicros,
    previousPayoutMicros: 0,
    at: r.conversionTime,
  };
}
