import type { Db } from "../lib/db";
import { TtlCache } from "../lib/ttl-cache";
import { type CampaignForClick, getCampaignForClick } from "./campaign-query";
import { type FlowForClick, getFlowForClick } from "./flow-click";
import { applyLiveState, type LiveState, loadLiveState } from "./live-state";

/**
 * Per-isolate cache of what the redirect and GET /click need from a campaign (see
 * lib/ttl-cache.ts): an archive, a new rotation or flow, a new offer or lander URL or time zone,
 * a blocklist entry, a pause or newly learned weights reach an isolate within ttlMs
 * (CAMPAIGN_CACHE_TTL_MS, 5 s by default, see lib/config.ts), plus at most 1 s while one request
 * re-reads. Unknown ids are cached too, apart from the campaigns and bounded (lib/ttl-cache.ts),
 * so a scan of random ids costs one D1 read per id and never evicts a campaign taking traffic.
 */
export type CachedCampaign = CampaignForClick & FlowForClick & { live: LiveState };

/**
 * The campaign as the redirect routes it: rotation or flow with pauses and learned weights
 * applied (`learned: false`: the configured weights, which the optimiser starts from).
 */
export async function loadCampaignForClick(
  db: Db,
  id: number,
  opts: { learned?: boolean } = {},
): Promise<CachedCampaign | undefined> {
  // Rules' and the optimiser's state is read beside the campaign, in the same round trip's time.
  const [campaign, live] = await Promise.all([getCampaignForClick(db, id), loadLiveState(db, id)]);
  // A campaign with a flow costs a second round trip when its entry is (re)loaded.
  if (!campaign) return undefined;
  const flow = await getFlowForClick(db, id, campaign.campaign.flow);
  return applyLiveState({ ...campaign, ...flow, live }, opts.learned === false ? { ...live, learned: null } : live);
}

/** A campaign cache of its own on the given clock (the isolate's one below; tests pass a clock). */
export function campaignCache(now: () => number = Date.now) {
  const cache = new TtlCache<number, CachedCampaign | undefined>({ staleIfError: true, now });
  return (db: Db, id: number, ttlMs: number): Promise<CachedCampaign | undefined> =>
    cache.get(id, ttlMs, () => loadCampaignForClick(db, id));
}

export const cachedCampaignForClick = campaignCache();
