import { verifyClickId } from "../lib/clickid";
import { type AdClickIds, pickAdClickIds } from "./ad-click-ids";
import { valuesFor } from "./dict";
import { ATTRIBUTE_DIMS } from "./dims";
import type { StoredVisit } from "./wire";

/** A stored visit with its strings decoded, as GET /api/visits/:clickId shows it. */
export type VisitView = Omit<StoredVisit, "attributes"> & {
  /** Every attribute dimension by name (country, device, …, var1 … var10). */
  attributes: Record<string, string | null>;
};

type RawRow = Record<string, number | string | null>;

/** The visit of a click ID, found by its visit second (from the ID): a primary-key seek. */
export async function getVisit(d1: D1Database, clickId: string, visitTime: number): Promise<VisitView | null> {
  const row = await d1
    .prepare("SELECT * FROM raw_visits WHERE created_at >= ?1 AND created_at < ?1 + 1000 AND click_id = ?2")
    .bind(visitTime, clickId)
    .first<RawRow>();
  if (!row) return null;
  const ids = [row.user_agent, ...ATTRIBUTE_DIMS.map((d) => row[d.column])].filter(
    (x): x is number => typeof x === "number",
  );
  const strings = await valuesFor(d1, ids);
  const text = (x: unknown) => (typeof x === "number" ? (strings.get(x) ?? null) : null);
  const int = (x: unknown) => (typeof x === "number" ? x : null);
  return {
    clickId: String(row.click_id),
    createdAt: Number(row.created_at),
    campaignId: Number(row.campaign_id),
    trafficSourceId: int(row.traffic_source_id),
    offerId: int(row.offer_id),
    landerId: int(row.lander_id),
    pathId: int(row.path_id),
    ruleId: int(row.rule_id),
    externalId: typeof row.external_id === "string" ? row.external_id : null,
    costMicros: Number(row.cost_micros),
    ip: typeof row.ip === "string" ? row.ip : null,
    asn: int(row.asn),
    bot: row.bot === 1,
    userAgent: text(row.user_agent),
    attributes: Object.fromEntries(ATTRIBUTE_DIMS.map((d) => [d.name, text(row[d.column])])),
    adClickIds: pickAdClickIds(row),
  };
}

/** What the ad platforms' conversion APIs send about a visit. */
export interface VisitAdData {
  adClickIds: AdClickIds;
  /** Epoch ms. */
  createdAt: number;
  ip: string | null;
  userAgent: string | null;
}

/**
 * The ad click IDs, time, IP and user agent of a click ID's visit: one primary-key seek (the
 * visit's second comes from the verified ID). null: not a genuine click ID, or the visit is not in
 * D1 (not written yet, or archived after the raw-visit retention).
 */
export async function adClickIdsOf(d1: D1Database, secret: string, clickId: string): Promise<VisitAdData | null> {
  const data = await verifyClickId(secret, clickId);
  if (!data) return null;
  const row = await d1
    .prepare(
      `SELECT v.*, d.value AS user_agent_text FROM raw_visits v LEFT JOIN dict d ON d.id = v.user_agent
       WHERE v.created_at >= ?1 AND v.created_at < ?1 + 1000 AND v.click_id = ?2`,
    )
    .bind(data.visitTime, clickId)
    .first<RawRow>();
  if (!row) return null;
  return {
    adClickIds: pickAdClickIds(row),
    createdAt: Number(row.created_at),
    ip: typeof row.ip === "string" ? row.ip : null,
    userAgent: typeof row.user_agent_text === "string" ? row.user_agent_text : null,
  };
}

export interface LanderClickView {
  createdAt: number;
  landerId: number;
  pathId: number | null;
  offerId: number;
}

export async function getLanderClicks(d1: D1Database, clickId: string, visitTime: number): Promise<LanderClickView[]> {
  const rows = await d1
    .prepare(
      `SELECT created_at AS createdAt, lander_id AS landerId, path_id AS pathId, offer_id AS offerId FROM lander_clicks
       WHERE visit_time = ?1 AND click_id = ?2 ORDER BY created_at`,
    )
    .bind(visitTime, clickId)
    .all<LanderClickView>();
  return rows.results;
}

/** Raw visits stored, of one campaign or all (tests and the bench). */
export async function countVisits(d1: D1Database, campaignId?: number): Promise<number> {
  const row = await (campaignId === undefined
    ? d1.prepare("SELECT count(*) AS n FROM raw_visits")
    : d1.prepare("SELECT count(*) AS n FROM raw_visits WHERE campaign_id = ?1").bind(campaignId)
  ).first<{ n: number }>();
  return row?.n ?? 0;
}
