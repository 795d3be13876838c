import type { Db } from "../lib/db";
import { getCampaignForClick, type CampaignForClick } from "./queries";

/**
 * Per-isolate cache of what the redirect needs from a campaign, so a click normally does no
 * D1 round trip before answering. The price is staleness: an archive, a new rotation or a new
 * offer URL reaches an isolate within ttlMs (CAMPAIGN_CACHE_TTL_MS, 5 s by default), plus at
 * most REFRESH_GRACE_MS while one request re-reads an expired entry and the others keep using
 * the old one (so an expiry under load costs one query, not one per request in flight).
 * Values, not promises, are cached: a request must never await another request's promise.
 * Unknown ids are cached too; the map is bounded against id scans.
 */
export const DEFAULT_CAMPAIGN_TTL_MS = 5000;
const REFRESH_GRACE_MS = 1000;
const MAX_ENTRIES = 1000;

interface Entry {
  expires: number;
  value: CampaignForClick | undefined;
  refreshingSince?: number;
}

const entries = new Map<number, Entry>();

export function campaignTtlMs(setting: string | undefined): number {
  const ms = setting === undefined || setting === "" ? NaN : Number(setting);
  return Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_CAMPAIGN_TTL_MS;
}

export async function cachedCampaignForClick(db: Db, id: number, ttlMs: number): Promise<CampaignForClick | undefined> {
  if (ttlMs <= 0) return getCampaignForClick(db, id);
  const now = Date.now();
  const hit = entries.get(id);
  if (hit && hit.expires > now) return hit.value;
  if (hit?.refreshingSince !== undefined && now - hit.refreshingSince < REFRESH_GRACE_MS) return hit.value;
  if (hit) hit.refreshingSince = now;
  let value: CampaignForClick | undefined;
  try {
    value = await getCampaignForClick(db, id);
  } catch (err) {
    if (hit) hit.refreshingSince = undefined;
    throw err;
  }
  if (entries.size >= MAX_ENTRIES && !entries.has(id)) entries.clear();
  entries.set(id, { expires: Date.now() + ttlMs, value });
  return value;
}
