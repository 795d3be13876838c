import { logWarn } from "../lib/log";

/** One conversion change as the ingest shard writes it (src/ingest/d1-write.ts records). */
export interface ConversionChange {
  /** The conversion's id. */
  id: string;
  /** Missing on records written before statuses existed: "approved". */
  status?: "approved" | "pending" | "rejected";
  /** The status before this change; null or missing for a registration. */
  previousStatus?: "approved" | "pending" | "rejected" | null;
  payoutMicros: number;
}

/** A queue message: the delivery to make; `visitWaits` counts waits for its visit to reach D1. */
export interface SourcePostbackMessage {
  id: string;
  visitWaits?: number;
}

const ROWS_PER_STATEMENT = 500;

// The changes of one chunk, and the conversion, campaign source and type each belongs to.
const CHANGES = `
FROM (SELECT value ->> '$.id' AS id, coalesce(value ->> '$.status', 'approved') AS status,
        value ->> '$.previousStatus' AS previous, value ->> '$.payoutMicros' AS payout FROM json_each(?1)) r
JOIN conversions c ON c.id = r.id
JOIN campaigns ca ON ca.id = c.campaign_id
JOIN traffic_sources ts ON ts.id = ca.traffic_source_id
LEFT JOIN conversion_types t ON t.id = c.type_id
WHERE (ts.postback_for = 'all' OR c.type_id IS NULL OR t.include_in_conversions = 1)`;

// A delivery for each change of a conversion D1 holds under this id whose campaign's source has a
// postback URL, when postbackFor allows its type ("conversions" = the default type (null) and
// types counted in conversions) and the status it enters is one of postbackStatuses.
// ON CONFLICT: a retried write of the same change adds nothing.
const INSERT_DELIVERIES = `
INSERT INTO source_postbacks
  (id, conversion_id, conversion_status, traffic_source_id, click_id, campaign_id, offer_id, type_name, txid,
   payout_micros, template, created_at, updated_at)
SELECT r.id || ':' || r.status, r.id, r.status, ts.id, c.click_id, c.campaign_id, c.offer_id, t.name, c.txid,
  coalesce(r.payout, c.payout_micros), ts.postback_url, ?2, ?2
${CHANGES}
  AND ts.postback_url IS NOT NULL
  AND r.status IN (SELECT value FROM json_each(ts.postback_statuses))
ON CONFLICT DO NOTHING
RETURNING id`;

// The source's ad-platform conversion API (docs/conversion-apis.md): one delivery when a
// conversion becomes approved (registered so, or from pending), and for Google a retraction when
// an approved one whose upload was queued is rejected. Whether the visit carries the platform's
// click ID is decided at the call: the visit may not be in D1 yet.
const INSERT_PLATFORM_DELIVERIES = `
INSERT INTO source_postbacks
  (id, kind, conversion_id, conversion_status, traffic_source_id, click_id, campaign_id, offer_id, type_name, txid,
   payout_micros, template, created_at, updated_at)
SELECT r.id || ':' || r.status || ':' || (ts.conversion_api ->> '$.type'), ts.conversion_api ->> '$.type', r.id,
  r.status, ts.id, c.click_id, c.campaign_id, c.offer_id, t.name, c.txid, coalesce(r.payout, c.payout_micros), '', ?2, ?2
${CHANGES}
  AND ts.conversion_api IS NOT NULL
  AND ((r.status = 'approved' AND r.previous IS NOT 'approved')
    OR (r.status = 'rejected' AND r.previous = 'approved' AND ts.conversion_api ->> '$.type' = 'google'
      AND EXISTS (SELECT 1 FROM source_postbacks p WHERE p.id = r.id || ':approved:google')))
ON CONFLICT DO NOTHING
RETURNING id`;

/**
 * The statements that store the deliveries of these changes, for the caller's D1 batch after the
 * conversion rows (the batch is one transaction, so a delivery exists exactly when its change
 * does). Their results hold the ids of deliveries new in this batch: hand them to queueNew.
 */
export function sourcePostbackStatements(
  d1: D1Database,
  changes: ConversionChange[],
  now = Date.now(),
): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < changes.length; i += ROWS_PER_STATEMENT) {
    const chunk = changes
      .slice(i, i + ROWS_PER_STATEMENT)
      .map((c) => ({ id: c.id, status: c.status, previousStatus: c.previousStatus, payoutMicros: c.payoutMicros }));
    const json = JSON.stringify(chunk);
    statements.push(
      d1.prepare(INSERT_DELIVERIES).bind(json, now),
      d1.prepare(INSERT_PLATFORM_DELIVERIES).bind(json, now),
    );
  }
  return statements;
}

/**
 * After the batch committed: sends the deliveries it created to the queue. Never throws: a
 * delivery that could not be sent keeps enqueued_at null and the cron sends it (sweepUnsent).
 */
export async function queueNew(d1: D1Database, queue: Queue | undefined, results: D1Result[]): Promise<void> {
  const ids = results.flatMap((r) => (r.results as { id: string }[]).map((row) => row.id));
  if (ids.length === 0 || !queue) return;
  try {
    await enqueue(d1, queue, ids);
  } catch (err) {
    logWarn("source postbacks: not queued yet, the cron will", String(err));
  }
}

/** Sends deliveries to the queue, then notes that they were (a crash in between sends twice, never zero times). */
export async function enqueue(d1: D1Database, queue: Queue, ids: string[], now = Date.now()): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    await queue.sendBatch(chunk.map((id) => ({ body: { id } satisfies SourcePostbackMessage })));
    await d1
      .prepare("UPDATE source_postbacks SET enqueued_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))")
      .bind(JSON.stringify(chunk), now)
      .run();
  }
}
