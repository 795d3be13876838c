import type { ConversionStatus } from "../model/status";
import type { ConversionRecord } from "./d1-write";
import type { PendingConversion } from "./judge";

/** The D1 columns a record is rebuilt from. */
interface D1Row {
  id: string;
  dedupe_key: string;
  click_id: string;
  campaign_id: number;
  offer_id: number;
  type_id: number | null;
  txid: string | null;
  payout_micros: number;
  conversion_time: number;
  received_at: number;
  source: ConversionRecord["source"];
  status: ConversionStatus;
  version: number;
  status_changed_at: number | null;
  currency: string | null;
  original_payout_micros: number | null;
  extra: string | null;
}

/** What an outbox record held before statuses. */
type LegacyRecord = Pick<
  ConversionRecord,
  | "id"
  | "dedupeKey"
  | "clickId"
  | "campaignId"
  | "offerId"
  | "typeId"
  | "txid"
  | "payoutMicros"
  | "conversionTime"
  | "receivedAt"
  | "source"
>;

/**
 * Records for decisions made before statuses existed, which remember only (key, id): from D1, or
 * from the shard's outbox when D1 does not have the row yet. What the click ID carries (visit time,
 * lander) comes from the request at hand, which shares the click ID. A conversion found in neither
 * place is left out (IngestShard then lets the request stand in for it).
 */
export async function legacyRecords(
  d1: D1Database,
  sql: SqlStorage,
  decisions: { dedupe_key: string; conversion_id: string }[],
  batch: PendingConversion[],
): Promise<ConversionRecord[]> {
  const items = new Map(batch.map((item) => [item.dedupeKey, item]));
  const ids = JSON.stringify(decisions.map((d) => d.conversion_id));
  // Outbox rows of that time are keyed by the bare conversion id.
  const queued = new Map(
    sql
      .exec<{ id: string; record: string }>(
        "SELECT id, record FROM outbox WHERE id IN (SELECT value FROM json_each(?))",
        ids,
      )
      .toArray()
      .map((r) => [r.id, JSON.parse(r.record) as LegacyRecord]),
  );
  const { results } = await d1
    .prepare("SELECT * FROM conversions WHERE id IN (SELECT value FROM json_each(?1))")
    .bind(ids)
    .all<D1Row>();
  const stored = new Map(results.map((r) => [r.id, r]));
  const out: ConversionRecord[] = [];
  for (const d of decisions) {
    const item = items.get(d.dedupe_key)!;
    const fromClick = {
      visitTime: item.visitTime,
      landerId: item.landerId,
      previousStatus: null,
      previousPayoutMicros: 0,
    };
    const row = stored.get(d.conversion_id);
    const old = queued.get(d.conversion_id);
    if (row) out.push({ ...fromClick, ...fromD1(row) });
    else if (old)
      out.push({
        ...old,
        ...fromClick,
        currency: null,
        originalPayoutMicros: null,
        extra: null,
        statusChangedAt: null,
        status: "approved",
        version: 1,
      });
  }
  return out;
}

function fromD1(
  row: D1Row,
): Omit<ConversionRecord, "visitTime" | "landerId" | "previousStatus" | "previousPayoutMicros"> {
  return {
    id: row.id,
    dedupeKey: row.dedupe_key,
    clickId: row.click_id,
    campaignId: row.campaign_id,
    offerId: row.offer_id,
    typeId: row.type_id,
    txid: row.txid,
    status: row.status,
    payoutMicros: row.payout_micros,
    currency: row.currency,
    originalPayoutMicros: row.original_payout_micros,
    extra: row.extra,
    conversionTime: row.conversion_time,
    receivedAt: row.received_at,
    source: row.source,
    version: row.version,
    statusChangedAt: row.status_changed_at,
  };
}
