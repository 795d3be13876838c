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

const cache = new TtlCache<number, CachedCampaign | undefined>({ staleIfError: true });

export function cachedCampaignForClick(db: Db, id: number, ttlMs: number): Promise<CachedCampaign | undefined> {
  return cache.get(id, ttlMs, async () => {
    const campaign = await getCampaignForClick(db, id);
    // A campaign with a flow costs a second round trip when its entry is (re)loaded.
    return campaign && { ...campaign, ...(await getFlowForClick(db, id, campaign.campaign.flow)) };
  });
}
