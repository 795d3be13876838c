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
  /** Every status the conversion had, oldest first (from its conversion events). */
  history: StatusChange[];
}

/**
 * One status of a conversion. `at`: the conversion time for the first, the time of the change for
 * the current one; null for a status in between (its event keeps the conversion time, which
 * reports bucket by, not the time it changed).
 */
export interface StatusChange {
  status: string;
  at: string | null;
  payout: number;
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

// An event's id is "<conversion id>:<version>": the primary key's range finds a conversion's events.
const EVENTS_OF_CLICK = `SELECT e.conversion_id, e.status, e.payout_micros,
  CAST(substr(e.id, instr(e.id, ':') + 1) AS INTEGER) AS version
FROM conversions c JOIN conversion_events e ON e.id > c.id || ':' AND e.id < c.id || ';'
WHERE c.click_id = ?1 ORDER BY e.conversion_id, version`;

type Row = Record<string, string | number | null>;

/** The click's conversions with their type name, current status and the statuses before it. */
async function conversionsOf(d1: D1Database, clickId: string): Promise<ConversionOfVisit[]> {
  const [rows, events] = await d1.batch<Row>([
    d1
      .prepare(
        `SELECT c.*, t.name AS type_name FROM conversions c LEFT JOIN conversion_types t ON t.id = c.type_id
       WHERE c.click_id = ?1 ORDER BY c.conversion_time, c.id`,
      )
      .bind(clickId),
    d1.prepare(EVENTS_OF_CLICK).bind(clickId),
  ]);
  const historyOf = (r: Row): StatusChange[] =>
    events!.results
      .filter((e) => e.conversion_id === r.id)
      .map((e) => ({
        status: String(e.status),
        at:
          e.version === 1
            ? iso(Number(r.conversion_time))
            : e.version === r.version && r.status_changed_at !== null
              ? iso(Number(r.status_changed_at))
              : null,
        payout: microsToDecimal(Number(e.payout_micros)),
      }));
  return rows!.results.map((r) => ({
    id: String(r.id),
    type: (r.type_name as string | null) ?? null,
    txid: (r.txid as string | null) ?? null,
    status: typeof r.status === "string" ? r.status : "approved",
    payout: microsToDecimal(Number(r.payout_micros)),
    conversionTime: iso(Number(r.conversion_time)),
    receivedAt: iso(Number(r.received_at)),
    source: String(r.source),
    history: historyOf(r),
  }));
}
