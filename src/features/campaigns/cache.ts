import type { Db } from "../../lib/db";
import { DEFAULT_TTL_MS, TtlCache, ttlFromSetting } from "../../lib/ttl-cache";
import { type CampaignForClick, getCampaignForClick } from "./queries";

/**
 * Per-isolate cache of what the redirect needs from a campaign (see lib/ttl-cache.ts): an
 * archive, a new rotation or a new offer URL reaches an isolate within ttlMs
 * (CAMPAIGN_CACHE_TTL_MS, 5 s by default), plus at most 1 s while one request re-reads.
 * Unknown ids are cached too.
 */
export const DEFAULT_CAMPAIGN_TTL_MS = DEFAULT_TTL_MS;

const cache = new TtlCache<number, CampaignForClick | undefined>({ staleIfError: true });

export function campaignTtlMs(setting: string | undefined): number {
  return ttlFromSetting(setting, DEFAULT_CAMPAIGN_TTL_MS);
}

export function cachedCampaignForClick(db: Db, id: number, ttlMs: number): Promise<CampaignForClick | undefined> {
  return cache.get(id, ttlMs, () => getCampaignForClick(db, id));
}
