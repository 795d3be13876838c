/**
 * The ingest shard's memory of which offer (and lander) each click ID's visitor was sent to from a
 * lander (GET /click), so a conversion is attributed to that offer even when it arrives before any
 * D1 row is readable. A separate table from the shard's decisions; the first click wins, as in
 * reports (a visit through a lander counts under its first click's offer). One row
 * per click ID of about 50 bytes: a shard's 10 GB hold some 200 million.
 */
export interface LanderClickNote {
  clickId: string;
  offerId: number;
  landerId: number;
  pathId: number | null;
  /** Epoch ms of the click. */
  at: number;
}

export function createLanderClicksTable(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS lander_clicks (
    click_id TEXT PRIMARY KEY, offer_id INTEGER NOT NULL, lander_id INTEGER NOT NULL, path_id INTEGER,
    at INTEGER NOT NULL) WITHOUT ROWID`);
}

/** Remembers lander clicks in one statement; a later click (even earlier in the list) never overwrites an older one. */
export function noteLanderClicks(sql: SqlStorage, clicks: LanderClickNote[]): void {
  sql.exec(
    `INSERT INTO lander_clicks (click_id, offer_id, lander_id, path_id, at)
     SELECT value ->> '$.clickId', value ->> '$.offerId', value ->> '$.landerId', value ->> '$.pathId', value ->> '$.at'
     FROM json_each(?) WHERE true
     ON CONFLICT (click_id) DO UPDATE SET offer_id = excluded.offer_id, lander_id = excluded.lander_id,
       path_id = excluded.path_id, at = excluded.at
     WHERE excluded.at < lander_clicks.at OR (excluded.at = lander_clicks.at AND excluded.offer_id < lander_clicks.offer_id)`,
    JSON.stringify(clicks),
  );
}

/** The offer each click ID was first sent to from its lander; 0 where none is known. One statement. */
export function chosenOffers(sql: SqlStorage, clickIds: string[]): number[] {
  const rows = sql
    .exec<{ click_id: string; offer_id: number }>(
      "SELECT click_id, offer_id FROM lander_clicks WHERE click_id IN (SELECT value FROM json_each(?))",
      JSON.stringify(clickIds),
    )
    .toArray();
  const byId = new Map(rows.map((r) => [r.click_id, r.offer_id]));
  return clickIds.map((id) => byId.get(id) ?? 0);
}
