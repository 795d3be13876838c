import type { ConversionEvent } from "./events";
import { jsonChunks } from "./json-chunks";

/**
 * Stores Contract B events in D1, for the caller's batch, after the conversion rows. This is the
 * status branch's stand-in for storage's `conversionEventStatements` (src/visits/events.ts on
 * h/storage: same name, signature and table, and it also applies the events to the rollups);
 * once both are merged, d1-write.ts imports that one and this file goes.
 * Only events of a conversion D1 holds under that id are kept (not when D1 kept another id for
 * the key); ON CONFLICT: a retry of an event already stored.
 */
const INSERT_EVENTS = `
INSERT INTO conversion_events
  (id, conversion_id, click_id, visit_time, campaign_id, offer_id, lander_id, type_id, status, previous_status,
   payout_micros, previous_payout_micros, at)
SELECT value ->> '$.id', value ->> '$.conversionId', value ->> '$.clickId', value ->> '$.visitTime',
  value ->> '$.campaignId', value ->> '$.offerId', value ->> '$.landerId', value ->> '$.typeId', value ->> '$.status',
  value ->> '$.previousStatus', value ->> '$.payoutMicros', value ->> '$.previousPayoutMicros', value ->> '$.at'
FROM json_each(?1)
WHERE EXISTS (SELECT 1 FROM conversions c WHERE c.id = value ->> '$.conversionId')
ON CONFLICT DO NOTHING`;

export function conversionEventStatements(d1: D1Database, events: ConversionEvent[]): D1PreparedStatement[] {
  return jsonChunks(events.map((e) => JSON.stringify(e))).map((json) => d1.prepare(INSERT_EVENTS).bind(json));
}
