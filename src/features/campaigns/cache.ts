import type { Db } from "../../lib/db";
import { TtlCache } from "../../lib/ttl-cache";
import { type CampaignForClick, getCampaignForClick } from "./queries";

/**
 * Per-isolate cache of what the redirect needs from a campaign (see lib/ttl-cache.ts): an
 * archive, a new rotation or a new offer URL reaches an isolate within ttlMs
 * (CAMPAIGN_CACHE_TTL_MS, 5 s by default, see lib/config.ts), plus at most 1 s while one request
 * re-reads. Unknown ids are cached too, apart from the campaigns and bounded (lib/ttl-cache.ts),
 * so a scan of random ids costs one D1 read per id and never evicts a campaign taking traffic.
 */
const cache = new TtlCache<number, CampaignForClick | undefined>();

export function cachedCampaignForClick(db: Db, id: number, ttlMs: number): Promise<CampaignForClick | undefined> {
  return cache.get(id, ttlMs, () => getCampaignForClick(db, id));
}
