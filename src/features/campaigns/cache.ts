import type { Db } from "../../lib/db";
import { DEFAULT_TTL_MS, TtlCache, ttlFromSetting } from "../../lib/ttl-cache";
import { type FlowForClick, getFlowForClick } from "./flow-click";
import { type CampaignForClick, getCampaignForClick } from "./queries";

/**
 * Per-isolate cache of what the redirect needs from a campaign (see lib/ttl-cache.ts): an
 * archive, a new rotation or flow, a new offer or lander URL or time zone reaches an isolate
 * within ttlMs (CAMPAIGN_CACHE_TTL_MS, 5 s by default), plus at most 1 s while one request
 * re-reads. Unknown ids are cached too.
 */
export const DEFAULT_CAMPAIGN_TTL_MS = DEFAULT_TTL_MS;

export type CachedCampaign = CampaignForClick & FlowForClick;

const cache = new TtlCache<number, CachedCampaign | undefined>();

export function campaignTtlMs(setting: string | undefined): number {
  return ttlFromSetting(setting, DEFAULT_CAMPAIGN_TTL_MS);
}

export function cachedCampaignForClick(db: Db, id: number, ttlMs: number): Promise<CachedCampaign | undefined> {
  return cache.get(id, ttlMs, async () => {
    const campaign = await getCampaignForClick(db, id);
    // A campaign with a flow costs a second round trip when its entry is (re)loaded.
    return campaign && { ...campaign, ...(await getFlowForClick(db, id, campaign.campaign.flow)) };
  });
}
