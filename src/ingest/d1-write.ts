import { queueNew, sourcePostbackStatements } from "../delivery/create";
import { jsonChunks } from "../lib/json-chunks";
import type { ConversionEvent } from "../model/conversion-event";
import type { ConversionStatus } from "../model/status";
import { conversionEventStatements } from "../visits/events";
import type { PendingConversion } from "./judge";

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

/** The event for one change. */
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

const col = (path: string) => `json_extract(value, '$.${path}')`;

const COLUMNS = `(id, dedupe_key, click_id, campaign_id, offer_id, type_id, txid, payout_micros, conversion_time,
  received_at, source, status, version, status_changed_at, currency, original_payout_micros, extra)`;
const VALUES = `SELECT
  ${["id", "dedupeKey", "clickId", "campaignId", "offerId", "typeId", "txid", "payoutMicros", "conversionTime", "receivedAt", "source"].map(col).join(", ")},
  coalesce(${col("status")}, 'approved'), coalesce(${col("version")}, 1), ${col("statusChangedAt")},
  ${col("currency")}, ${col("originalPayoutMicros")}, ${col("extra")}
FROM json_each(?1) WHERE true`;

// Registrations: a row already there under this id or key is left alone (a retry, or D1 keeping
// another id for the key).
const INSERT = `INSERT INTO conversions ${COLUMNS} ${VALUES} ON CONFLICT DO NOTHING RETURNING id`;

// Transitions: the row takes the record only if the record is a later version (a retry, or
// writes arriving out of order, never roll it back); inserted whole if the registration has not
// reached D1 yet; a dedupe key held by another id is left alone.
const UPSERT = `INSERT INTO conversions ${COLUMNS} ${VALUES}
ON CONFLICT (id) DO UPDATE SET
  status = excluded.status, version = excluded.version, payout_micros = excluded.payout_micros,
  status_changed_at = excluded.status_changed_at, currency = excluded.currency,
  original_payout_micros = excluded.original_payout_micros
  WHERE excluded.version > conversions.version
ON CONFLICT DO NOTHING
RETURNING id`;

/**
 * Writes conversion records and their events idempotently, in one D1 batch (a single
 * transaction): a retry after an unclear failure never doubles a row or an event. Returns the
 * ids written (inserted or moved to a later version) by this call.
 * The same batch stores the traffic-source postbacks the changes owe (docs/conversions.md), which go to
 * `postbacks` once it commits.
 */
export async function writeConversions(
  d1: D1Database,
  records: ConversionRecord[],
  postbacks?: Queue,
): Promise<Set<string>> {
  if (records.length === 0) return new Set();
  // Registrations first, then transitions: in one transaction, whatever their order in the outbox.
  const registrations = records.filter((r) => (r.version ?? 1) === 1).map((r) => JSON.stringify(r));
  const transitions = records.filter((r) => (r.version ?? 1) > 1).map((r) => JSON.stringify(r));
  const statements = [
    ...jsonChunks(registrations).map((json) => d1.prepare(INSERT).bind(json)),
    ...jsonChunks(transitions).map((json) => d1.prepare(UPSERT).bind(json)),
  ];
  const upserts = statements.length;
  // one event per change, in the same transaction, after the rows.
  statements.push(...conversionEventStatements(d1, records.map(eventOf)));
  const deliveriesFrom = statements.length;
  statements.push(...sourcePostbackStatements(d1, records));
  const results = await d1.batch<{ id: string }>(statements);
  await queueNew(d1, postbacks, results.slice(deliveriesFrom));
  return new Set(results.slice(0, upserts).flatMap((r) => r.results.map((row) => row.id)));
}
