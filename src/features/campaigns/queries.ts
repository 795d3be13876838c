import { asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { type CampaignRow, campaignOffers, campaigns, offers } from "../../db/schema";
import type { Db } from "../../lib/db";
import { microsToDecimal } from "../../lib/money";

export interface WeightedOffer {
  offerId: number;
  weight: number;
}

export interface CampaignInput {
  name: string;
  offers: WeightedOffer[];
  costPerClickMicros: number | null;
}

export interface Campaign extends CampaignRow {
  offers: WeightedOffer[];
}

/** What the click redirect needs: the campaign and its live offers with weights. */
export interface CampaignForClick {
  campaign: CampaignRow;
  offers: (WeightedOffer & { url: string })[];
}

async function withOffers(db: Db, rows: CampaignRow[]): Promise<Campaign[]> {
  if (rows.length === 0) return [];
  const links = await db
    .select()
    .from(campaignOffers)
    .where(
      inArray(
        campaignOffers.campaignId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(campaignOffers.position))
    .all();
  return rows.map((row) => ({
    ...row,
    offers: links.filter((l) => l.campaignId === row.id).map(({ offerId, weight }) => ({ offerId, weight })),
  }));
}

export async function listCampaigns(db: Db, opts: { includeArchived?: boolean } = {}) {
  const q = db.select().from(campaigns).orderBy(asc(campaigns.id));
  return withOffers(db, await (opts.includeArchived ? q.all() : q.where(eq(campaigns.archived, false)).all()));
}

export async function getCampaign(db: Db, id: number): Promise<Campaign | undefined> {
  const row = await db.select().from(campaigns).where(eq(campaigns.id, id)).get();
  return row ? (await withOffers(db, [row]))[0] : undefined;
}

/** One query: the campaign joined to its non-archived offers, in rotation order. */
export async function getCampaignForClick(db: Db, id: number): Promise<CampaignForClick | undefined> {
  const rows = await db
    .select({
      campaign: campaigns,
      offerId: campaignOffers.offerId,
      weight: campaignOffers.weight,
      url: offers.url,
      offerArchived: offers.archived,
    })
    .from(campaigns)
    .leftJoin(campaignOffers, eq(campaignOffers.campaignId, campaigns.id))
    .leftJoin(offers, eq(offers.id, campaignOffers.offerId))
    .where(eq(campaigns.id, id))
    .orderBy(asc(campaignOffers.position))
    .all();
  if (rows.length === 0) return undefined;
  const live = rows.filter((r) => r.offerId !== null && r.url !== null && !r.offerArchived && r.weight! > 0);
  return {
    campaign: rows[0]!.campaign,
    offers: live.map((r) => ({ offerId: r.offerId!, weight: r.weight!, url: r.url! })),
  };
}

export async function createCampaign(db: Db, input: CampaignInput): Promise<Campaign> {
  const now = Date.now();
  // One batch is one transaction: no campaign without its offers. Inside it the new campaign
  // is the highest id, which is how the offer rows find it.
  const newId = sql`(select max(${campaigns.id}) from ${campaigns})`;
  const [inserted] = await db.batch([
    db
      .insert(campaigns)
      .values({ name: input.name, costPerClickMicros: input.costPerClickMicros, createdAt: now, updatedAt: now })
      .returning(),
    ...offerInserts(db, newId, input.offers),
  ] as [any, ...any[]]);
  return { ...(inserted as CampaignRow[])[0]!, offers: input.offers };
}

export async function updateCampaign(
  db: Db,
  id: number,
  patch: Partial<CampaignInput> & { archived?: boolean },
): Promise<Campaign | undefined> {
  const { offers: newOffers, ...columns } = patch;
  const update = db
    .update(campaigns)
    .set({ ...columns, updatedAt: Date.now() })
    .where(eq(campaigns.id, id))
    .returning();
  // Row and rotation change together in one transaction, or not at all.
  const [updated] = newOffers
    ? await db.batch([
        update,
        db.delete(campaignOffers).where(eq(campaignOffers.campaignId, id)),
        ...offerInserts(db, id, newOffers),
      ] as [any, ...any[]])
    : [await update];
  if ((updated as CampaignRow[]).length === 0) return undefined;
  return getCampaign(db, id);
}

function offerInserts(db: Db, campaignId: number | SQL, list: WeightedOffer[]) {
  return list.map((o, position) =>
    db
      .insert(campaignOffers)
      .values({ campaignId: campaignId as number, offerId: o.offerId, weight: o.weight, position }),
  );
}

export function trackingUrl(origin: string, campaignId: number): string {
  return `${origin}/c/${campaignId}`;
}

export function campaignJson(row: Campaign, origin: string) {
  return {
    id: row.id,
    name: row.name,
    offers: row.offers,
    costPerClick: row.costPerClickMicros === null ? null : microsToDecimal(row.costPerClickMicros),
    archived: row.archived,
    trackingUrl: trackingUrl(origin, row.id),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
