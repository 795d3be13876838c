import { type ClickIdData, verifyClickId } from "../lib/clickid";
import { getConfig } from "../lib/config";
import { microsToDecimal } from "../lib/money";
import { DAY_MS, isoInZone } from "../lib/timezone";
import { adClickIdFields } from "./ad-click-ids";
import { getLanderClicks, getVisit } from "./queries";

export interface ConversionOfVisit {
  id: string;
  type: string | null;
  txid: string | null;
  status: string;
  payout: number;
  conversionTime: string;
  receivedAt: string;
  source: string;
}

/** Everything stored about one click ID, for GET /api/visits/:clickId and the click-lookup page. */
export type VisitLookup =
  | { found: false; reason: "invalid" }
  | {
      found: boolean;
      reason?: "archived" | "missing";
      /** What the click ID itself says (verified with the secret). */
      click: { clickId: string; visitTime: string; campaignId: number; offerId: number };
      visit: Record<string, unknown> | null;
      landerClicks: { time: string; landerId: number; pathId: number | null; offerId: number }[];
      conversions: ConversionOfVisit[];
      /** The R2 file holding the visit's day, when that day was archived. */
      archive: { day: string; file: string } | null;
    };

const iso = (ms: number) => isoInZone("UTC", ms).replace("+00:00", "Z");

export async function lookupVisit(env: Env, clickId: string): Promise<VisitLookup> {
  const data: ClickIdData | null = await verifyClickId(getConfig(env).clickIdSecret ?? "", clickId);
  if (!data) return { found: false, reason: "invalid" };
  const d1 = env.DB;
  const [visit, clicks, conversions, archived] = await Promise.all([
    getVisit(d1, clickId, data.visitTime),
    getLanderClicks(d1, clickId, data.visitTime),
    conversionsOf(d1, clickId),
    d1
      .prepare("SELECT object_key FROM archived_days WHERE day = ?1")
      .bind(Math.floor(data.visitTime / DAY_MS))
      .first<{ object_key: string }>(),
  ]);
  const { attributes, createdAt, costMicros, adClickIds, ...fields } = visit ?? {
    attributes: {},
    createdAt: 0,
    costMicros: 0,
    adClickIds: {},
  };
  return {
    found: visit !== null,
    ...(visit === null && { reason: archived ? "archived" : "missing" }),
    click: { clickId, visitTime: iso(data.visitTime), campaignId: data.campaignId, offerId: data.offerId },
    visit: visit && {
      ...fields,
      time: iso(createdAt),
      cost: microsToDecimal(costMicros),
      ...attributes,
      // fbclid, gclid, …: every key, null where the visit carried none.
      ...adClickIdFields(adClickIds),
    },
    landerClicks: clicks.map((c) => ({
      time: iso(c.createdAt),
      landerId: c.landerId,
      pathId: c.pathId,
      offerId: c.offerId,
    })),
    conversions,
    archive: archived ? { day: new Date(data.visitTime).toISOString().slice(0, 10), file: archived.object_key } : null,
  };
}

/** The click's conversions with their type name and current status (approved until statuses exist). */
async function conversionsOf(d1: D1Database, clickId: string): Promise<ConversionOfVisit[]> {
  const rows = await d1
    .prepare(
      `SELECT c.*, t.name AS type_name FROM conversions c LEFT JOIN conversion_types t ON t.id = c.type_id
       WHERE c.click_id = ?1 ORDER BY c.conversion_time, c.id`,
    )
    .bind(clickId)
    .all<Record<string, string | number | null>>();
  return rows.results.map((r) => ({
    id: String(r.id),
    type: (r.type_name as string | null) ?? null,
    txid: (r.txid as string | null) ?? null,
    status: typeof r.status === "string" ? r.status : "approved",
    payout: microsToDecimal(Number(r.payout_micros)),
    conversionTime: iso(Number(r.conversion_time)),
    receivedAt: iso(Number(r.received_at)),
    source: String(r.source),
  }));
}
