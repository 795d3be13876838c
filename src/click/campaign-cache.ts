import type { Db } from "../lib/db";
import { TtlCache } from "../lib/ttl-cache";
import { type CampaignForClick, getCampaignForClick } from "./campaign-query";
import { type FlowForClick, getFlowForClick } from "./flow-click";

/**
 * Per-isolate cache of what the redirect and GET /click need from a campaign (see
 * lib/ttl-cache.ts): an archive, a new rotation or flow, a new offer or lander URL or time zone
 * reaches an isolate within ttlMs (CAMPAIGN_CACHE_TTL_MS, 5 s by default, see lib/config.ts),
 * plus at most 1 s while one request re-reads. Unknown ids are cached too, apart from the
 * campaigns and bounded (lib/ttl-cache.ts), so a scan of random ids costs one D1 read per id and
 * never evicts a campaign taking traffic.
 */
export type CachedCampaign = CampaignForClick & FlowForClick;

async function loadCampaign(db: Db, id: number): Promise<CachedCampaign | undefined> {
  const campaign = await getCampaignForClick(db, id);
  // A campaign with a flow costs a second round trip when its entry is (re)loaded.
  return campaign && { ...campaign, ...(await getFlowForClick(db, id, campaign.campaign.flow)) };
}

/** A campaign cache of its own on the given clock (the isolate's one below; tests pass a clock). */
export function campaignCache(now: () => number = Date.now) {
  const cache = new TtlCache<number, CachedCampaign | undefined>({ staleIfError: true, now });
  return (db: Db, id: number, ttlMs: number): Promise<CachedCampaign | undefined> =>
    cache.get(id, ttlMs, () => loadCampaign(db, id));
}

export const cachedCampaignForClick = campaignCache();
