import { ALL_DIM_CODES, BUCKET_MS, BUCKETS_PER_DAY, CONVERSION_TYPE_DIM, ENTITY_DIM, ROLLUP_ATTRIBUTES } from "./dims";

/**
 * SQL that keeps the rollups. Rollup tables: rollup_q (quarter hours) always; rollup_d (UTC
 * days) for quarters the cron has already folded in (bucket < rollup_state.compacted_until);
 * rollup_l (spans of 2–32 days) for days before levels_until. A late write updates every table
 * that already holds its time, so all stay exact. Counters only ever move by deltas inside the
 * transaction that records what caused them.
 */
export type RollupTable = "rollup_q" | "rollup_d" | "rollup_l";
export const ROLLUP_TABLES: RollupTable[] = ["rollup_q", "rollup_d", "rollup_l"];

/** rollup_l levels: a span of 2^k days, bucket = k << LEVEL_SHIFT | day >> k. */
export const LEVELS = [1, 2, 3, 4, 5];
export const LEVEL_SHIFT = 20;
/** Joined in as `lv` where rows are written to every level. */
const LEVELS_JOIN = `CROSS JOIN (VALUES ${LEVELS.map((k) => `(${k})`).join(", ")}) lv`;

export const KEY = "dim, bucket, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value";
const COUNTERS = [
  "visits",
  "clicks",
  "cost_micros",
  "conversions",
  "revenue_micros",
  "pending",
  "pending_revenue_micros",
] as const;
type Counter = (typeof COUNTERS)[number];

export const addExcluded = (counters: readonly Counter[]) =>
  counters.map((c) => `${c} = ${c} + excluded.${c}`).join(", ");

/** Quarters folded into rollup_d: those before the watermark. */
const FOLDED = "(SELECT compacted_until FROM rollup_state WHERE id = 1)";
/** Days in rollup_l: those before this one. */
const LEVELLED = "(SELECT levels_until FROM rollup_state WHERE id = 1)";

/** Time bucket expression for the table, from a quarter-hour bucket expression. */
export function bucketOf(table: RollupTable, quarter: string): string {
  if (table === "rollup_q") return quarter;
  const day = `(${quarter}) / ${BUCKETS_PER_DAY}`;
  return table === "rollup_d" ? day : `(lv.column1 << ${LEVEL_SHIFT}) + (${day} >> lv.column1)`;
}
/** Which quarters the table takes (rollup_q all; the others what they already hold). */
export function onlyFolded(table: RollupTable, quarter: string): string {
  if (table === "rollup_q") return "true";
  return table === "rollup_d" ? `${quarter} < ${FOLDED}` : `(${quarter}) / ${BUCKETS_PER_DAY} < ${LEVELLED}`;
}
export const levelsJoin = (table: RollupTable) => (table === "rollup_l" ? LEVELS_JOIN : "");

/**
 * Visit deltas aggregated in the worker, one JSON array per rollup key:
 * [dim, quarter, campaign, trafficSource, offer, lander, path, value, visits, costMicros].
 */
export function upsertVisitDeltas(table: RollupTable): string {
  const q = "(value ->> 1)";
  return `INSERT INTO ${table} (${KEY}, visits, cost_micros)
SELECT value ->> 0, ${bucketOf(table, q)}, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
  sum(value ->> 8), sum(value ->> 9)
FROM json_each(?1) ${levelsJoin(table)} WHERE ${onlyFolded(table, q)}
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET ${addExcluded(["visits", "cost_micros"])}`;
}

/**
 * A source of clicks or conversion deltas waiting to meet their visit. Its columns: click_id,
 * ref, visit_time, bucket (quarter), campaign_id, offer_id, lander_id, path_id, type_id, clicks,
 * conversions, revenue_micros, cost_micros, pending, pending_revenue_micros.
 */
export type DeltaSource = string;

/** Lander clicks from a JSON parameter of WireClick rows (without the kind): counted at the visit's time. */
export const LANDER_CLICK_SOURCE: DeltaSource = `SELECT value ->> 1 AS click_id, 'c' || (value ->> 3) AS ref,
  value ->> 2 AS visit_time, (value ->> 2) / ${BUCKET_MS} AS bucket, value ->> 4 AS campaign_id, value ->> 7 AS offer_id,
  value ->> 5 AS lander_id, value ->> 6 AS path_id, NULL AS type_id, 1 AS clicks, 0 AS conversions, 0 AS revenue_micros,
  0 AS cost_micros, 0 AS pending, 0 AS pending_revenue_micros FROM json_each(?1)`;

const wasStatus = (status: string) => `(coalesce(e.previous_status, '') = '${status}')`;
const isStatus = (status: string) => `(e.status = '${status}')`;
/** A type with include_in_conversions = 0 adds money but no count. */
const COUNTED = "(CASE WHEN t.include_in_conversions = 0 THEN 0 ELSE 1 END)";

/** A share (millionths, m.share_ppm) of an amount in micro-units, rounded half away from zero. */
const share = (x: string) =>
  `(CASE WHEN ${x} >= 0 THEN (${x} * m.share_ppm + 500000) / 1000000 ELSE -((-${x} * m.share_ppm + 500000) / 1000000) END)`;
const conversionsDelta = `${COUNTED} * (${isStatus("approved")} - ${wasStatus("approved")})`;

/**
 * What an event adds to cost (docs/costs.md): cpa per counted approved conversion, revshare of its
 * approved payout, by the campaign's model at the visit's time (campaign_cost_models), so a
 * model change never rewrites history. Each payout's share is rounded on its own, so a
 * transition takes back exactly what its registration added.
 */
const EVENT_COST = `coalesce((SELECT ${conversionsDelta} * m.cpa_micros
    + ${isStatus("approved")} * ${share("e.payout_micros")} - ${wasStatus("approved")} * ${share("coalesce(e.previous_payout_micros, 0)")}
  FROM campaign_cost_models m WHERE m.campaign_id = e.campaign_id AND m.since <= e.visit_time
  ORDER BY m.since DESC LIMIT 1), 0)`;

/** An event's deltas (alias e, its type t): a transition takes back the previous status's share. */
export const EVENT_DELTA = {
  conversions: conversionsDelta,
  revenue_micros: `${isStatus("approved")} * e.payout_micros - ${wasStatus("approved")} * e.previous_payout_micros`,
  cost_micros: EVENT_COST,
  pending: `${COUNTED} * (${isStatus("pending")} - ${wasStatus("pending")})`,
  pending_revenue_micros: `${isStatus("pending")} * e.payout_micros - ${wasStatus("pending")} * e.previous_payout_micros`,
};
const EVENT_DELTAS = Object.entries(EVENT_DELTA)
  .map(([name, expr]) => `${expr} AS ${name}`)
  .join(", ");

const EVENT_ROWS = `SELECT e.click_id, e.id AS ref, e.visit_time, e.at / ${BUCKET_MS} AS bucket,
  e.campaign_id, e.offer_id, e.lander_id, NULL AS path_id, e.type_id, 0 AS clicks, ${EVENT_DELTAS}
FROM conversion_events e LEFT JOIN conversion_types t ON t.id = e.type_id`;

/** The ids of the next ?1 events not applied yet: the same ones for every statement of one transaction. */
export const NEXT_UNAPPLIED = "SELECT id FROM conversion_events WHERE applied = 0 ORDER BY id LIMIT ?1";

/** The deltas of the next ?1 events not applied yet, at the conversion's time. */
export const UNAPPLIED_EVENT_SOURCE: DeltaSource = `${EVENT_ROWS} WHERE e.id IN (${NEXT_UNAPPLIED})`;

/** The deltas of the events not applied yet whose conversion time is in [start, end) (epoch ms). */
export const unappliedEventsIn = (start: number, end: number): DeltaSource =>
  `${EVENT_ROWS} WHERE e.applied = 0 AND e.at >= ${Math.floor(start)} AND e.at < ${Math.floor(end)}`;

const AWAITING_COLUMNS = `click_id, ref, visit_time, bucket, campaign_id, offer_id, lander_id, path_id, type_id, clicks,
  conversions, revenue_micros, cost_micros, pending, pending_revenue_micros`;

/** Waiting deltas of these click IDs (JSON array ?1), whose visits this transaction stores. */
export const AWAITING_BY_CLICK_SOURCE: DeltaSource = `SELECT ${AWAITING_COLUMNS} FROM awaiting_visit
WHERE click_id IN (SELECT value FROM json_each(?1))`;

/** Waiting deltas whose visit time is before ?1 (epoch ms): their visit is not coming. */
export const ORPHAN_SOURCE: DeltaSource = `SELECT ${AWAITING_COLUMNS} FROM awaiting_visit WHERE visit_time < ?1`;

/**
 * The visit of a source row: the click ID carries its second, so this is a primary-key seek
 * ("+" keeps SQLite from building an automatic index on click_id over all raw visits instead).
 */
export const visitOf = (s: string) =>
  `v.created_at >= ${s}.visit_time AND v.created_at < ${s}.visit_time + 1000 AND +v.click_id = ${s}.click_id`;

/** Source rows in one second from which reading the second once beats a seek per row. */
export const SHARED_SECOND = 3;
const VISIT_OF = visitOf("s");

/**
 * raw_visits is keyed by (created_at, click_id), so a seek for one click ID reads every visit of
 * its second, and a batch of rows sharing seconds (an upload, a busy minute of postbacks) would
 * read such a second once per row. Seconds holding SHARED_SECOND or more source rows (`sec`) are
 * read once instead, keeping the visits of the source's click IDs (`vv`, the columns used), which
 * the rows then find by click ID through a transient index; the other rows keep their seek.
 * DISTINCT: seconds not on a whole second may overlap, and a visit must not count twice. `s` is
 * used several times, hence materialized: the source runs once.
 */
const VISITS_OF_SHARED = `sec AS MATERIALIZED (SELECT visit_time FROM s GROUP BY visit_time HAVING count(*) >= ${SHARED_SECOND}),
vv AS MATERIALIZED (SELECT DISTINCT v.created_at, v.click_id, v.traffic_source_id, v.offer_id, v.lander_id, v.path_id,
    ${ROLLUP_ATTRIBUTES.map((d) => `v.${d.column}`).join(", ")}
  FROM sec CROSS JOIN raw_visits v ON v.created_at >= sec.visit_time AND v.created_at < sec.visit_time + 1000
  WHERE v.click_id IN (SELECT click_id FROM s))`;
const SHARED = "s.visit_time IN (SELECT visit_time FROM sec)";
/** A source row's visit among `vv`: the same match as visitOf. */
export const VISIT_IN_VV =
  "v.click_id = s.click_id AND v.created_at >= s.visit_time AND v.created_at < s.visit_time + 1000";

const dimValue = [
  `WHEN ${ENTITY_DIM} THEN 0`,
  ...ROLLUP_ATTRIBUTES.map((d) => `WHEN ${d.code} THEN ${d.value("j")}`),
  `WHEN ${CONVERSION_TYPE_DIM} THEN j.type_id`,
].join(" ");

/**
 * The offer a lander click counts under: its visit's, which for a visit through a lander is the
 * offer of its first lander click (offer-settle.ts writes it to the raw row before any of the
 * visit's clicks are applied), so a visit and its clicks stay under one offer.
 */
export const clickOffer = (own: string, visit: string | null) =>
  visit ? `coalesce(${visit}.offer_id, nullif(${own}.offer_id, 0), 0)` : `coalesce(${own}.offer_id, 0)`;

/**
 * The offer a conversion counts under: its own (the first lander click's, as the ingest shard
 * knew it), else a direct visit's. Never a lander visit's raw offer, which changes at its first
 * click: a conversion counted before that would otherwise disagree with a later raw read.
 */
export const eventOffer = (own: string, visit: string | null) =>
  visit
    ? `coalesce(nullif(${own}.offer_id, 0), CASE WHEN ${visit}.lander_id IS NULL THEN ${visit}.offer_id END, 0)`
    : `coalesce(${own}.offer_id, 0)`;

/** Visits and lander clicks (by visit time) before this epoch ms have their attribute rows. */
export const DIMS_UNTIL = "(SELECT dims_until FROM rollup_state WHERE id = 1)";
const ATTRIBUTE_CODES = ROLLUP_ATTRIBUTES.map((d) => d.code);

export interface ApplyOptions {
  /** false: rows that will never meet their visit (entity row only). */
  withVisit?: boolean;
  /** Only the attribute rows (the aggregation itself). */
  attributesOnly?: boolean;
  /** The rows as a SELECT (the rollup's columns but visits) instead of adding them. */
  rowsOnly?: boolean;
  /** Only these dimensions' rows. */
  dims?: number[];
}

/**
 * Adds the source's deltas to the rollups under their visit's dimensions: one row per dimension
 * whose value is known (a null value has no row: reports derive it as the total minus the known
 * values). A lander click's attribute rows are left to the cron's aggregation (aggregate.ts)
 * unless its visit time is already behind dims_until; conversions get all their rows at once.
 */
export function applyDeltas(
  table: RollupTable,
  source: DeltaSource,
  { withVisit = true, attributesOnly = false, rowsOnly = false, dims }: ApplyOptions = {},
): string {
  const attrs = ROLLUP_ATTRIBUTES.map((d) => (withVisit ? `v.${d.column}` : `NULL AS ${d.column}`)).join(", ");
  const visit = (column: string) => (withVisit ? `v.${column}` : "NULL");
  const counters = COUNTERS.filter((c) => c !== "visits");
  const codes = dims ?? (attributesOnly ? ATTRIBUTE_CODES : [ENTITY_DIM, CONVERSION_TYPE_DIM, ...ATTRIBUTE_CODES]);
  const attributeRows = attributesOnly
    ? "true"
    : `(dim IN (${ENTITY_DIM}, ${CONVERSION_TYPE_DIM}) OR clicks = 0 OR visit_time < ${DIMS_UNTIL})`;
  // rollup_d and rollup_l take only late rows (times already folded): filtered before the seek.
  const rows = table === "rollup_q" ? source : `SELECT * FROM (${source}) WHERE ${onlyFolded(table, "bucket")}`;
  const joined = (from: string) => `SELECT s.*, coalesce(${visit("traffic_source_id")}, 0) AS ts,
  CASE WHEN s.clicks = 1 THEN ${clickOffer("s", withVisit ? "v" : null)} ELSE ${eventOffer("s", withVisit ? "v" : null)} END AS o, coalesce(s.lander_id, ${visit("lander_id")}, 0) AS l,
  coalesce(s.path_id, ${visit("path_id")}, 0) AS p, ${attrs}
  FROM ${from}`;
  // rollup_d and rollup_l see only late rows (few): a seek each, and shorter SQL to prepare.
  const shared = withVisit && table === "rollup_q";
  // Without a visit every attribute is NULL, and so has no row.
  const j = !withVisit
    ? joined("s LEFT JOIN (SELECT NULL AS x) v ON true")
    : !shared
      ? joined(`s CROSS JOIN raw_visits v ON ${VISIT_OF}`)
      : `${joined(`s CROSS JOIN raw_visits v ON ${VISIT_OF}`)} WHERE NOT ${SHARED}
UNION ALL ${joined(`s CROSS JOIN vv v ON ${VISIT_IN_VV}`)} WHERE ${SHARED}`;
  const ctes = `WITH s AS ${shared ? `MATERIALIZED (${rows}),\n${VISITS_OF_SHARED},` : `(${rows}),`}
j AS MATERIALIZED (${j}),
x AS (SELECT j.*, d.column1 AS dim, CASE d.column1 ${dimValue} END AS val
  FROM j, (VALUES ${codes.map((c) => `(${c})`).join(",")}) d)`;
  const select = `SELECT dim, ${bucketOf(table, "bucket")} AS bucket, campaign_id, ts AS traffic_source_id, o AS offer_id,
  l AS lander_id, p AS path_id, val AS value, ${counters.map((c) => `sum(${c}) AS ${c}`).join(", ")}
FROM x ${levelsJoin(table)} WHERE val IS NOT NULL AND ${onlyFolded(table, "bucket")} AND ${attributeRows}
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;
  if (rowsOnly) return `${ctes}\n${select}`;
  return `${ctes}
INSERT INTO ${table} (${KEY}, ${counters.join(", ")})
${select}
ON CONFLICT DO UPDATE SET ${addExcluded(counters)}`;
}

/** Lander clicks whose visit time is in [?1, ?2), for the aggregation of their attribute rows. */
export const CLICKS_IN_WINDOW: DeltaSource = `SELECT click_id, 'c' || created_at AS ref, visit_time,
  visit_time / ${BUCKET_MS} AS bucket, campaign_id, offer_id, lander_id, path_id, NULL AS type_id, 1 AS clicks,
  0 AS conversions, 0 AS revenue_micros, 0 AS cost_micros, 0 AS pending, 0 AS pending_revenue_micros
FROM lander_clicks WHERE visit_time >= ?1 AND visit_time < ?2`;

/** The attribute rows of the visits created in [?1, ?2) (the aggregation; entity rows are written at once). */
export const AGGREGATE_VISITS = `INSERT INTO rollup_q (${KEY}, visits, cost_micros)
SELECT d.column1, v.created_at / ${BUCKET_MS}, v.campaign_id, coalesce(v.traffic_source_id, 0), coalesce(v.offer_id, 0),
  coalesce(v.lander_id, 0), coalesce(v.path_id, 0),
  CASE d.column1 ${ROLLUP_ATTRIBUTES.map((a) => `WHEN ${a.code} THEN ${a.value("v")}`).join(" ")} END AS val,
  count(*), sum(v.cost_micros)
FROM raw_visits v CROSS JOIN (VALUES ${ATTRIBUTE_CODES.map((c) => `(${c})`).join(",")}) d
WHERE v.created_at >= ?1 AND v.created_at < ?2 AND val IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET ${addExcluded(["visits", "cost_micros"])}`;

/** Parks the source rows whose visit is not in D1 yet. */
export function awaitVisit(source: DeltaSource): string {
  return `WITH s AS MATERIALIZED (${source}),
${VISITS_OF_SHARED}
INSERT INTO awaiting_visit (${AWAITING_COLUMNS})
SELECT ${AWAITING_COLUMNS} FROM s WHERE CASE WHEN ${SHARED} THEN NOT EXISTS (SELECT 1 FROM vv v WHERE ${VISIT_IN_VV})
  ELSE NOT EXISTS (SELECT 1 FROM raw_visits v WHERE ${VISIT_OF}) END
ON CONFLICT DO NOTHING`;
}

/** Adds days [?1, ?2) of rollup_d to every level of rollup_l. */
export const FOLD_DAYS = `INSERT INTO rollup_l (${KEY}, ${COUNTERS.join(", ")})
SELECT dim, (lv.column1 << ${LEVEL_SHIFT}) + (bucket >> lv.column1), campaign_id, traffic_source_id, offer_id, lander_id,
  path_id, value, ${COUNTERS.map((c) => `sum(${c})`).join(", ")}
FROM rollup_d ${LEVELS_JOIN} WHERE dim IN (${ALL_DIM_CODES.join(", ")}) AND bucket >= ?1 AND bucket < ?2
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET ${addExcluded(COUNTERS)}`;

/** Folds quarters [?1, ?2) of rollup_q into rollup_d. */
export const FOLD_QUARTERS = `INSERT INTO rollup_d (${KEY}, ${COUNTERS.join(", ")})
SELECT dim, bucket / ${BUCKETS_PER_DAY}, campaign_id, traffic_source_id, offer_id, lander_id, path_id, value,
  ${COUNTERS.map((c) => `sum(${c})`).join(", ")}
FROM rollup_q WHERE dim IN (${ALL_DIM_CODES.join(", ")}) AND bucket >= ?1 AND bucket < ?2
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET ${addExcluded(COUNTERS)}`;
