import { asc, eq } from "drizzle-orm";
import { type CampaignRow, campaignOffers, campaigns, offers, trafficSources } from "../db/schema";
import type { Db } from "../lib/db";
import { type SourceForClick, sourceForClick } from "./source-params";

/** What the click redirect needs: the campaign, its live offers with weights, its source's parameters. */
export interface CampaignForClick {
  campaign: CampaignRow;
  offers: { offerId: number; weight: number; url: string; name: string }[];
  source: SourceForClick | null;
}

/**
 * One query: the campaign joined to its non-archived offers, in rotation order, and to its traffic
 * source (kept when the source is archived later: links already pasted into the network still work).
 */
export async function getCampaignForClick(db: Db, id: number): Promise<CampaignForClick | undefined> {
  const rows = await db
    .select({
      campaign: campaigns,
      offerId: campaignOffers.offerId,
      weight: campaignOffers.weight,
      url: offers.url,
      name: offers.name,
      offerArchived: offers.archived,
      source: trafficSources,
    })
    .from(campaigns)
    .leftJoin(campaignOffers, eq(campaignOffers.campaignId, campaigns.id))
    .leftJoin(offers, eq(offers.id, campaignOffers.offerId))
    .leftJoin(trafficSources, eq(trafficSources.id, campaigns.trafficSourceId))
    .where(eq(campaigns.id, id))
    .orderBy(asc(campaignOffers.position))
    .all();
  if (rows.length === 0) return undefined;
  const live = rows.filter((r) => r.offerId !== null && r.url !== null && !r.offerArchived && r.weight! > 0);
  const source = rows[0]!.source;
  return {
    campaign: rows[0]!.campaign,
    offers: live.map((r) => ({ offerId: r.offerId!, weight: r.weight!, url: r.url!, name: r.name! })),
    source: source ? sourceForClick(source) : null,
  };
}
