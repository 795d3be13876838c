import { jsonChunks } from "../lib/json-chunks";
import { type SqlValue, valuesStatements } from "../lib/sql-values";
import { AD_CLICK_ID_KEYS } from "./ad-click-ids";
import { idsFor } from "./dict";
import { ATTRIBUTE_DIMS, BOT_DIM, BUCKET_MS, ENTITY_DIM } from "./dims";
import { FILL_SETTLING, SETTLE_STATEMENTS } from "./offer-settle";
import {
  AWAITING_BY_CLICK_SOURCE,
  applyDeltas,
  awaitVisit,
  LANDER_CLICK_SOURCE,
  ROLLUP_TABLES,
  upsertVisitDeltas,
} from "./rollup-sql";
import type { LanderClickRecord } from "./types";
import { decodeLanderClick, decodeVisit, type StoredVisit, type VisitMessage } from "./wire";

const RAW_COLUMNS = [
  "created_at",
  "click_id",
  "campaign_id",
  "traffic_source_id",
  "offer_id",
  "lander_id",
  "path_id",
  "rule_id",
  "cost_micros",
  "external_id",
  "ip",
  "asn",
  "bot",
  "user_agent",
  ...ATTRIBUTE_DIMS.map((d) => d.column),
  // Plain text, not dictionary-encoded: each is unique to its visit.
  ...AD_CLICK_ID_KEYS,
];
const INSERT_RAW = `INSERT INTO raw_visits (${RAW_COLUMNS.join(", ")})`;
const INSERT_CLICKS = `INSERT INTO lander_clicks (click_id, visit_time, created_at, campaign_id, lander_id, path_id, offer_id)
SELECT value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7 FROM json_each(?1) WHERE true
ON CONFLICT DO NOTHING`;

export interface WriteResult {
  /** Messages written by this call (the others were already in D1). */
  written: number;
  visits: number;
  clicks: number;
  /** D1's own count of rows written, index entries and rollups included. */
  rowsWritten: number;
}

/**
 * Writes queue messages of visits and lander clicks: raw rows, entity rollup rows (the attribute
 * rows come from the cron's aggregation, aggregate.ts, unless the visit is older than it), waiting
 * conversion deltas and clicks that meet their visit, and the message ids, all in ONE D1 batch
 * (one transaction). A message whose id is already recorded is skipped, so a redelivery applies
 * nothing twice; should two consumers race on one message, the second batch fails on the id's
 * primary key and rolls back whole. Throws what D1 throws (the queue then retries).
 */
export async function writeVisitMessages(d1: D1Database, messages: VisitMessage[]): Promise<WriteResult> {
  const fresh = await unapplied(d1, messages);
  if (fresh.length === 0) return { written: 0, visits: 0, clicks: 0, rowsWritten: 0 };
  // Visits before dims_until missed the cron's aggregation: their attribute rows are written here.
  const state = await d1.prepare("SELECT dims_until AS t FROM rollup_state WHERE id = 1").first<{ t: number }>();
  const dimsUntil = state?.t ?? 0;
  const visits = new Map<string, StoredVisit>();
  const clicks: LanderClickRecord[] = [];
  for (const m of fresh) {
    for (const row of m.rows) {
      if (row[0] === "v") {
        const v = decodeVisit(row);
        visits.set(v.clickId, v);
      } else if (row[0] === "c") clicks.push(decodeLanderClick(row));
    }
  }
  const ids = await idsFor(d1, stringsOf(visits.values()));
  const id = (s: string | null) => (s === null ? null : (ids.get(s) ?? null));

  const raw: SqlValue[][] = [];
  const deltas = new Map<string, number[]>();
  for (const v of visits.values()) {
    const attrs = v.attributes.map(id);
    raw.push([
      v.createdAt,
      v.clickId,
      v.campaignId,
      v.trafficSourceId,
      v.offerId,
      v.landerId,
      v.pathId,
      v.ruleId,
      v.costMicros,
      v.externalId,
      v.ip,
      v.asn,
      v.bot,
      id(v.userAgent),
      ...attrs,
      ...AD_CLICK_ID_KEYS.map((k) => v.adClickIds[k] ?? null),
    ]);
    const entity = [
      Math.floor(v.createdAt / BUCKET_MS),
      v.campaignId,
      v.trafficSourceId ?? 0,
      v.offerId ?? 0,
      v.landerId ?? 0,
      v.pathId ?? 0,
    ];
    const bump = (dim: number, value: number) => {
      const key = `${dim},${entity.join(",")},${value}`;
      const d = deltas.get(key);
      if (d) {
        d[8]! += 1;
        d[9]! += v.costMicros;
      } else deltas.set(key, [dim, ...entity, value, 1, v.costMicros]);
    };
    bump(ENTITY_DIM, 0);
    if (v.createdAt >= dimsUntil) continue;
    ATTRIBUTE_DIMS.forEach((d, i) => {
      const value = attrs[i];
      if (value !== null && value !== undefined) bump(d.code, value);
    });
    if (v.bot) bump(BOT_DIM, 1);
  }

  const statements: D1PreparedStatement[] = [
    // Should the cron have moved dims_until since it was read, the CHECK on guard fails the batch.
    d1.prepare("UPDATE rollup_state SET guard = (dims_until <> ?1) WHERE id = 1").bind(dimsUntil),
  ];
  const add = (sql: string, chunks: string[]) => {
    const prepared = d1.prepare(sql);
    for (const chunk of chunks) statements.push(prepared.bind(chunk));
  };
  for (const sql of valuesStatements(INSERT_RAW, raw, "ON CONFLICT DO NOTHING")) statements.push(d1.prepare(sql));
  const deltaChunks = jsonChunks([...deltas.values()].map((d) => JSON.stringify(d)));
  for (const table of ROLLUP_TABLES) add(upsertVisitDeltas(table), deltaChunks);
  const clickChunks = jsonChunks(
    clicks.map((c) =>
      JSON.stringify(["c", c.clickId, c.visitTime, c.createdAt, c.campaignId, c.landerId, c.pathId, c.offerId]),
    ),
  );
  add(INSERT_CLICKS, clickChunks);
  // Lander visits meet their first click: counted under its offer from here on (offer-settle.ts).
  // One entry per visit: a visit in two chunks would move twice (each chunk sees it unsettled).
  // A visit of this batch comes with its exact time, so its raw row is found by its key.
  const settling = new Map<string, [string, number, number, number | null]>();
  const settle = (clickId: string, visitTime: number, batchClicks: number, createdAt: number | null) => {
    const entry = settling.get(clickId) ?? [clickId, visitTime, 0, null];
    entry[2] += batchClicks;
    entry[3] ??= createdAt;
    settling.set(clickId, entry);
  };
  for (const v of visits.values())
    if (v.landerId !== null && v.offerId === null)
      settle(v.clickId, Math.floor(v.createdAt / 1000) * 1000, 0, v.createdAt);
  for (const c of clicks) settle(c.clickId, c.visitTime, 1, visits.get(c.clickId)?.createdAt ?? null);
  const settleChunks = jsonChunks([...settling.values()].map((e) => JSON.stringify(e)));
  add(FILL_SETTLING, settleChunks);
  if (settleChunks.length > 0) for (const sql of SETTLE_STATEMENTS) statements.push(d1.prepare(sql));
  // Clicks and conversions that arrived before these visits.
  const clickIdChunks = jsonChunks([...visits.keys()].map((k) => JSON.stringify(k)));
  for (const table of ROLLUP_TABLES) add(applyDeltas(table, AWAITING_BY_CLICK_SOURCE), clickIdChunks);
  add("DELETE FROM awaiting_visit WHERE click_id IN (SELECT value FROM json_each(?1))", clickIdChunks);
  if (clicks.length > 0) {
    for (const table of ROLLUP_TABLES) add(applyDeltas(table, LANDER_CLICK_SOURCE), clickChunks);
    add(awaitVisit(LANDER_CLICK_SOURCE), clickChunks);
  }
  // Plain INSERT: a message another consumer wrote meanwhile fails the whole batch.
  add(
    "INSERT INTO applied_messages (id) SELECT value FROM json_each(?1)",
    jsonChunks(fresh.map((m) => JSON.stringify(m.id))),
  );

  const results = await d1.batch(statements);
  const rowsWritten = results.reduce((n, r) => n + (r.meta?.rows_written ?? 0), 0);
  return { written: fresh.length, visits: visits.size, clicks: clicks.length, rowsWritten };
}

/** The messages not yet written (first copy of each id). */
async function unapplied(d1: D1Database, messages: VisitMessage[]): Promise<VisitMessage[]> {
  const byId = new Map<string, VisitMessage>();
  for (const m of messages) if (!byId.has(m.id)) byId.set(m.id, m);
  const done = new Set<string>();
  for (const chunk of jsonChunks([...byId.keys()].map((k) => JSON.stringify(k)))) {
    const rows = await d1
      .prepare("SELECT id FROM applied_messages WHERE id IN (SELECT value FROM json_each(?1))")
      .bind(chunk)
      .all<{ id: string }>();
    for (const r of rows.results) done.add(r.id);
  }
  return [...byId.values()].filter((m) => !done.has(m.id));
}

function* stringsOf(visits: Iterable<StoredVisit>): Iterable<string> {
  for (const v of visits) {
    if (v.userAgent !== null) yield v.userAgent;
    for (const a of v.attributes) if (a !== null) yield a;
  }
}
