import type { ConversionEvent } from "./events";
import type { PendingConversion } from "./judge";
import type { ConversionStatus } from "./status";

/**
 * A conversion's row at one version, and the change that made it: the unit of the shard's
 * decisions, of its outbox and of the D1 write. Version 1 is the registration; each status
 * transition adds one.
 */
export type ConversionRecord = Omit<PendingConversion, "payoutGiven" | "currency" | "originalPayoutMicros"> & {
  id: string;
  /** null on rows registered before currencies existed. */
  currency: string | null;
  originalPayoutMicros: number | null;
  version: number;
  /** Epoch ms of the last transition (the time it was sent with, else of receipt); null before any. */
  statusChangedAt: number | null;
  previousStatus: ConversionStatus | null;
  previousPayoutMicros: number;
};

/** The outbox key of a record, which is also its event's id: one per change, the same on every retry. */
export const changeId = (r: Pick<ConversionRecord, "id" | "version">) => `${r.id}:${r.version}`;

/** Contract B's event for one change. */
export function eventOf(r: ConversionRecord): ConversionEvent {
  return {
    id: changeId(r),
    conversionId: r.id,
    clickId: r.clickId,
    visitTime: r.visitTime,
    campaignId: r.campaignId,
    offerId: r.offerId,
    landerId: r.landerId,
    typeId: r.typeId,
    status: r.status,
    previousStatus: r.previousStatus,
    payoutMicros: r.payoutMicros,
    previousPayoutMicros: r.previousPayoutMicros,
    at: r.conversionTime,
  };
}

// A whole chunk travels as one JSON parameter (D1 allows 100 bound parameters per statement, but
// a parameter may be large, up to 2 MB), so a chunk costs two statements, not two per row.
const ROWS_PER_STATEMENT = 500;
const CHARS_PER_STATEMENT = 1_000_000;

/** Records as JSON arrays of at most ROWS_PER_STATEMENT rows and about CHARS_PER_STATEMENT characters. */
function jsonChunks(records: ConversionRecord[]): string[] {
  const out: string[] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const record of records) {
    const json = JSON.stringify(record);
    if (chunk.length === ROWS_PER_STATEMENT || (chunk.length > 0 && size + json.length > CHARS_PER_STATEMENT)) {
      out.push(`[${chunk.join(",")}]`);
      chunk = [];
      size = 0;
    }
    chunk.push(json);
    size += json.length + 1;
  }
  if (chunk.length > 0) out.push(`[${chunk.join(",")}]`);
  return out;
}

const col = (path: string) => `json_extract(value, '$.${path}')`;

// A new row is inserted; a row already there takes the record only if the record is a later
// version (a retry, or writes arriving out of order, never roll it back); a dedupe key held by
// another id is left alone.
const UPSERT = `
INSERT INTO conversions
  (id, dedupe_key, click_id, campaign_id, offer_id, type_id, txid, payout_micros, conversion_time, received_at, source,
   status, version, status_changed_at, currency, original_payout_micros, extra)
SELECT
  ${["id", "dedupeKey", "clickId", "campaignId", "offerId", "typeId", "txid", "payoutMicros", "conversionTime", "receivedAt", "source"].map(col).join(", ")},
  coalesce(${col("status")}, 'approved'), coalesce(${col("version")}, 1), ${col("statusChangedAt")},
  ${col("currency")}, ${col("originalPayoutMicros")}, ${col("extra")}
FROM json_each(?1) WHERE true
ON CONFLICT (id) DO UPDATE SET
  status = excluded.status, version = excluded.version, payout_micros = excluded.payout_micros,
  status_changed_at = excluded.status_changed_at, currency = excluded.currency,
  original_payout_micros = excluded.original_payout_micros
  WHERE excluded.version > conversions.version
ON CONFLICT DO NOTHING
RETURNING id`;

// One event per change, only for a conversion D1 holds under this id (not when D1 kept another
// id for the key): the rollups never count a conversion twice.
const EVENTS = `
INSERT INTO conversion_events
  (id, conversion_id, click_id, visit_time, campaign_id, offer_id, lander_id, type_id, status, previous_status,
   payout_micros, previous_payout_micros, at)
SELECT
  ${col("id")} || ':' || coalesce(${col("version")}, 1), ${["id", "clickId", "visitTime", "campaignId", "offerId", "landerId", "typeId"].map(col).join(", ")},
  coalesce(${col("status")}, 'approved'), ${col("previousStatus")}, ${col("payoutMicros")},
  coalesce(${col("previousPayoutMicros")}, 0), ${col("conversionTime")}
FROM json_each(?1)
WHERE EXISTS (SELECT 1 FROM conversions c WHERE c.id = ${col("id")})
ON CONFLICT DO NOTHING`;

/**
 * Writes conversion records and their events idempotently, in one D1 batch (a single
 * transaction): a retry after an unclear failure never doubles a row or an event. Returns the
 * ids written (inserted or moved to a later version) by this call.
 */
export async function writeConversions(d1: D1Database, records: ConversionRecord[]): Promise<Set<string>> {
  if (records.length === 0) return new Set();
  const statements: D1PreparedStatement[] = [];
  for (const json of jsonChunks(records)) statements.push(d1.prepare(UPSERT).bind(json), d1.prepare(EVENTS).bind(json));
  const results = await d1.batch<{ id: string }>(statements);
  return new Set(results.flatMap((r) => r.results.map((row) => row.id)));
}
