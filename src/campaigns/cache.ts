import type { Db } from "../lib/db";
import { getCampaignForClick, type CampaignForClick } from "./queries";

/**
 * Per-isolate cache of what the redirect needs from a campaign, so a click normally does no
 * D1 round trip before answering. The price is staleness: an archive, a new rotation or a new
 * offer URL reaches an isolate within ttlMs (CAMPAIGN_CACHE_TTL_MS, 5 s by default). Values,
 * not promises, are cached: a promise started by one request must not be awaited by another
 * that may outlive it. Unknown ids are cached too; the map is bounded against id scans.
 */
export const DEFAULT_CAMPAIGN_TTL_MS = 5000;
const MAX_ENTRIES = 1000;

const entries = new Map<number, { expires: number; value: CampaignForClick | undefined }>();

export function campaignTtlMs(setting: string | undefined): number {
  const ms = setting === undefined || setting === "" ? NaN : Number(setting);
  return Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_CAMPAIGN_TTL_MS;
}

export async function cachedCampaignForClick(db: Db, id: number, ttlMs: number): Promise<CampaignForClick | undefined> {
  if (ttlMs <= 0) return getCampaignForClick(db, id);
  const now = Date.now();
  const hit = entries.get(id);
  if (hit && hit.expires > now) return hit.value;
  const value = await getCampaignForClick(db, id);
  if (entries.size >= MAX_ENTRIES && !entries.has(id)) entries.clear();
  entries.set(id, { expires: now + ttlMs, value });
  return value;
}
