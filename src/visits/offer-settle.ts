import { BUCKET_MS, ENTITY_DIM, ROLLUP_ATTRIBUTES } from "./dims";
import {
  addExcluded,
  bucketOf,
  DIMS_UNTIL,
  KEY,
  levelsJoin,
  onlyFolded,
  ROLLUP_TABLES,
  type RollupTable,
  SHARED_SECOND,
  VISIT_IN_VV,
  visitOf,
} from "./rollup-sql";

/**
 * A visit sent to a lander has no offer when it is stored; in reports it counts under the offer
 * its first lander click went to (visits, cost and clicks here; conversions through eventOffer),
 * so offers behind a lander compare. Once a visit and a click of it are both in D1, this moves the
 * visit's rollup counts from the offer they were under (0 at first) to its first stored click's
 * offer and writes that offer into its raw row, in the consumer's transaction, before the batch's
 * clicks are applied. Clicks reach D1 out of order now and then: an earlier click arriving later
 * moves the visit again. A visit that never clicks through stays under offer 0, "(none)".
 *
 * The source lists candidate visits as [clickId, visitTime, batchClicks, createdAt] (JSON array
 * ?1): the batch's lander visits (with their exact createdAt) and the visits of its clicks (null:
 * the click ID carries only the second), with how many of its clicks this batch brings (stored
 * already, applied after). Visits whose offer is their first click's move nothing, so a second
 * click or a redelivery changes nothing.
 */
export const SETTLE_SOURCE = `SELECT value ->> 0 AS click_id, value ->> 1 AS visit_time, value ->> 2 AS batch_clicks,
  value ->> 3 AS created_at FROM json_each(?1)`;

const LANDER_CLICKS_OF_V = "lc.visit_time = v.created_at / 1000 * 1000 AND lc.click_id = v.click_id";
const FIRST_OFFER = `(SELECT lc.offer_id FROM lander_clicks lc WHERE ${LANDER_CLICKS_OF_V}
  ORDER BY lc.created_at, lc.offer_id LIMIT 1)`;
/** The visit's clicks already in the rollups: stored, minus those waiting for it or in this batch. */
const APPLIED_CLICKS = `(SELECT count(*) FROM lander_clicks lc WHERE ${LANDER_CLICKS_OF_V})
  - (SELECT count(*) FROM awaiting_visit a WHERE a.click_id = v.click_id AND a.clicks = 1) - s.batch_clicks`;
/**
 * Each candidate's visit. raw_visits is keyed by (created_at, click_id): a visit of this batch is
 * one key seek by its exact time; a click's visit is found in its second, which is read once for
 * all the candidates it holds when there are SHARED_SECOND or more (a burst of clicks, the rule of
 * rollup-sql.ts), else seeked per candidate. A seek per candidate into a busy second reads every visit of that second, once per
 * statement of the settlement: at a few thousand visits a second that cost more than the rest of
 * the batch.
 */
function candidateVisits(source: string, columns: string): string {
  return `WITH s AS MATERIALIZED (SELECT click_id, visit_time, max(created_at) AS exact, sum(batch_clicks) AS batch_clicks
  FROM (${source}) GROUP BY 1, 2),
sec AS MATERIALIZED (SELECT visit_time FROM s WHERE exact IS NULL GROUP BY 1 HAVING count(*) >= ${SHARED_SECOND}),
vv AS MATERIALIZED (SELECT v.* FROM sec CROSS JOIN raw_visits v
  ON v.created_at >= sec.visit_time AND v.created_at < sec.visit_time + 1000
  WHERE v.click_id IN (SELECT click_id FROM s WHERE exact IS NULL))
SELECT ${columns} FROM s CROSS JOIN raw_visits v ON v.created_at = s.exact AND v.click_id = s.click_id
  WHERE s.exact IS NOT NULL AND v.lander_id IS NOT NULL
UNION ALL SELECT ${columns} FROM s CROSS JOIN raw_visits v ON ${visitOf("s")}
  WHERE s.exact IS NULL AND s.visit_time NOT IN (SELECT visit_time FROM sec) AND v.lander_id IS NOT NULL
UNION ALL SELECT ${columns} FROM s CROSS JOIN vv v ON ${VISIT_IN_VV}
  WHERE s.exact IS NULL AND s.visit_time IN (SELECT visit_time FROM sec) AND v.lander_id IS NOT NULL`;
}

/** The visits of the source to move: from offer `old` to their first click's offer `o`, with `n` clicks. */
function settled(source: string): string {
  const columns = `v.created_at, v.click_id, coalesce(v.offer_id, 0) AS old, ${FIRST_OFFER} AS o, ${APPLIED_CLICKS} AS n`;
  return `SELECT * FROM (${candidateVisits(source, columns)}) WHERE o IS NOT NULL AND o <> old`;
}

/**
 * The settling visits of a transaction, found once (FILL_SETTLING, per chunk of the source) and
 * read by each move and the raw rows' update after it; emptied again before the transaction
 * ends. Finding them is about half of each move's time, so once instead of four times.
 */
export const SETTLING = "settling_visits";

/** Finds the settling visits of one chunk of SETTLE_SOURCE (?1) and keeps them in SETTLING. */
export const FILL_SETTLING = `INSERT INTO ${SETTLING} (created_at, click_id, old, o, n)
SELECT created_at, click_id, old, o, n FROM (${settled(SETTLE_SOURCE)}) WHERE true ON CONFLICT DO NOTHING`;

/** The settling visits with what their rollup rows are keyed by (each raw row one key seek). */
const SETTLING_VISITS = `SELECT v.created_at, v.campaign_id, coalesce(v.traffic_source_id, 0) AS ts, v.lander_id AS l,
  coalesce(v.path_id, 0) AS p, v.cost_micros, ${ROLLUP_ATTRIBUTES.map((d) => `v.${d.column}`).join(", ")},
  s.old, s.o, s.n
FROM ${SETTLING} s CROSS JOIN raw_visits v ON v.created_at = s.created_at AND v.click_id = s.click_id`;

const dimValue = ROLLUP_ATTRIBUTES.map((d) => `WHEN ${d.code} THEN ${d.value("m")}`).join(" ");
const CODES = [ENTITY_DIM, ...ROLLUP_ATTRIBUTES.map((d) => d.code)];

/**
 * Moves the settling visits' counts in one rollup table: −1 visit, −cost and −applied clicks under
 * the old offer, the same added under the first click's, for the entity row and, where the visit's
 * attribute rows are written already (its time before dims_until), for each attribute row.
 */
export function moveToFirstOffer(table: RollupTable): string {
  const q = `(created_at / ${BUCKET_MS})`;
  return `WITH m AS MATERIALIZED (${SETTLING_VISITS}),
x AS (SELECT m.*, d.column1 AS dim, CASE d.column1 WHEN ${ENTITY_DIM} THEN 0 ${dimValue} END AS val, sg.column1 AS sign
  FROM m, (VALUES ${CODES.map((c) => `(${c})`).join(",")}) d, (VALUES (-1), (1)) sg)
INSERT INTO ${table} (${KEY}, visits, clicks, cost_micros)
SELECT dim, ${bucketOf(table, q)}, campaign_id, ts, CASE WHEN sign < 0 THEN old ELSE o END, l, p, val,
  sum(sign), sum(sign * n), sum(sign * cost_micros)
FROM x ${levelsJoin(table)}
WHERE val IS NOT NULL AND ${onlyFolded(table, q)} AND (dim = ${ENTITY_DIM} OR created_at < ${DIMS_UNTIL})
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET ${addExcluded(["visits", "clicks", "cost_micros"])}`;
}

/**
 * Writes the first click's offer into the settling visits' raw rows (after the moves): each row a
 * key seek from SETTLING's list. Joined to the settling visits instead (UPDATE … FROM), SQLite
 * read every visit of a busy second once per candidate, or the whole table (135 ms instead of
 * 16 for 1,000 clicks on 5,000 visits of three seconds, 2.3 s instead of 0.05 on 60,000).
 */
export const SETTLE_RAW_OFFERS = `UPDATE raw_visits AS r SET offer_id = (SELECT o FROM ${SETTLING} s
  WHERE s.created_at = r.created_at AND s.click_id = r.click_id)
WHERE (r.created_at, r.click_id) IN (SELECT created_at, click_id FROM ${SETTLING})`;

/**
 * The statements of a settlement after FILL_SETTLING has run for every chunk of its source, in
 * order: none of them takes a parameter, the last empties SETTLING.
 */
export const SETTLE_STATEMENTS = [
  ...ROLLUP_TABLES.map((t) => moveToFirstOffer(t)),
  SETTLE_RAW_OFFERS,
  `DELETE FROM ${SETTLING}`,
];
