import type { NewVisit } from "../db/schema";

/**
 * Many visits in one D1 statement. D1 allows 100 bound parameters per statement, so the rows
 * travel as one JSON array parameter that SQLite unpacks with json_each. ON CONFLICT keeps a
 * retry of a batch that did commit from failing or duplicating (click IDs are unique).
 */
const INSERT_VISITS = `INSERT INTO visits
  (click_id, campaign_id, offer_id, created_at, country, user_agent, referrer, params, cost_micros)
SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8
FROM json_each(?1) WHERE true
ON CONFLICT (click_id) DO NOTHING`;

/** One visit as a JSON array in the column order of INSERT_VISITS. */
export function visitJson(v: NewVisit): string {
  return JSON.stringify([
    v.clickId,
    v.campaignId,
    v.offerId,
    v.createdAt,
    v.country ?? null,
    v.userAgent ?? null,
    v.referrer ?? null,
    v.params ?? "{}",
    v.costMicros ?? 0,
  ]);
}

/** Writes rows made by visitJson in one statement; throws what D1 throws. */
export async function insertVisitRows(d1: D1Database, rows: string[]): Promise<void> {
  await d1
    .prepare(INSERT_VISITS)
    .bind(`[${rows.join(",")}]`)
    .run();
}
