import { queueNew, sourcePostbackStatements } from "../delivery/create";
import { type SqlValue, valuesStatements } from "../lib/sql-values";
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

const INSERT = `INSERT INTO conversions (id, dedupe_key, click_id, campaign_id, offer_id, type_id, txid,
  payout_micros, conversion_time, received_at, source, status, version, status_changed_at, currency,
  original_payout_micros, extra)`;

/** A record's row in INSERT's column order; records from before statuses count as approved, v1. */
const row = (r: ConversionRecord): SqlValue[] => [
  r.id,
  r.dedupeKey,
  r.clickId,
  r.campaignId,
  r.offerId,
  r.typeId,
  r.txid,
  r.payoutMicros,
  r.conversionTime,
  r.receivedAt,
  r.source,
  r.status ?? "approved",
  r.version ?? 1,
  r.statusChangedAt,
  r.currency,
  r.originalPayoutMicros,
  r.extra,
];

// Registrations: a row already there under this id or key is left alone (a retry, or D1 keeping
// another id for the key).
const REGISTERED = "ON CONFLICT DO NOTHING RETURNING id";

// Transitions: the row takes the record only if the record is a later version (a retry, or
// writes arriving out of order, never roll it back); inserted whole if the registration has not
// reached D1 yet; a dedupe key held by another id is left alone.
const TRANSITIONED = `ON CONFLICT (id) DO UPDATE SET
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
  // Rows as SQL literals (lib/sql-values.ts): SQLite inserts them faster than it unpacks JSON.
  const registrations = records.filter((r) => (r.version ?? 1) === 1).map(row);
  const transitions = records.filter((r) => (r.version ?? 1) > 1).map(row);
  const statements = [
    ...valuesStatements(INSERT, registrations, REGISTERED),
    ...valuesStatements(INSERT, transitions, TRANSITIONED),
  ].map((sql) => d1.prepare(sql));
  const upserts = statements.length;
  // one event per change, in the same transaction, after the rows.
  statements.push(...conversionEventStatements(d1, records.map(eventOf)));
  const deliveriesFrom = statements.length;
  statements.push(...sourcePostbackStatements(d1, records));
  const results = await d1.batch<{ id: string }>(statements);
  await queueNew(d1, postbacks, results.slice(deliveriesFrom));
  return new Set(results.slice(0, upserts).flatMap((r) => r.results.map((row) => row.id)));
}
