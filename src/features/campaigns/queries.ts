import { asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { flowJson, parseStoredFlow, type StoredFlow } from "../../click/flow-store";
import { sourceForClick, sourceQuery } from "../../click/source-params";
import {
  type CampaignRow,
  campaignCostModels,
  campaignOffers,
  campaigns,
  type StoredOptimize,
  type TrafficSourceRow,
} from "../../db/schema";
import type { Db } from "../../lib/db";
import { conversionTerms, costModelJson, costPerClickOf, type StoredCostModel } from "../../model/cost-model";
import { getTrafficSourcesByIds } from "../traffic-sources/queries";

export interface WeightedOffer {
  offerId: number;
  weight: number;
}

export interface CampaignInput {
  name: string;
  /** The rotation; empty when the campaign routes through a flow. */
  offers: WeightedOffer[];
  /** null: no model stored (auto: the source's cost parameter, else 0). */
  costModel: StoredCostModel | null;
  trafficSourceId?: number | null;
  /** The offer rotation's learning (features/optimizer); null: fixed weights. */
  optimize?: StoredOptimize | null;
  /** Setting a flow empties `offers`; setting offers (or null) drops the flow. */
  flow?: StoredFlow | null;
}

export interface Campaign extends CampaignRow {
  offers: WeightedOffer[];
  trafficSource: TrafficSourceRow | null;
}

async function withOffers(db: Db, rows: CampaignRow[]): Promise<Campaign[]> {
  if (rows.length === 0) return [];
  const sourceIds = [...new Set(rows.map((r) => r.trafficSourceId).filter((id) => id !== null))];
  const [links, sources] = await Promise.all([
    db
      .select()
      .from(campaignOffers)
      .where(
        inArray(
          campaignOffers.campaignId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(campaignOffers.position))
      .all(),
    getTrafficSourcesByIds(db, sourceIds),
  ]);
  return rows.map((row) => ({
    ...row,
    offers: links.filter((l) => l.campaignId === row.id).map(({ offerId, weight }) => ({ offerId, weight })),
    trafficSource: sources.find((s) => s.id === row.trafficSourceId) ?? null,
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

export async function createCampaign(db: Db, input: CampaignInput): Promise<Campaign> {
  const now = Date.now();
  // One batch is one transaction: no campaign without its offers. Inside it the new campaign
  // is the highest id, which is how the offer rows find it.
  const newId = sql`(select max(${campaigns.id}) from ${campaigns})`;
  const [inserted] = await db.batch([
    db
      .insert(campaigns)
      .values({
        name: input.name,
        costModel: input.costModel,
        trafficSourceId: input.trafficSourceId ?? null,
        optimize: input.optimize ?? null,
        flow: input.flow ? JSON.stringify(input.flow) : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning(),
    ...offerInserts(db, newId, input.offers),
    // Since 0: every visit of the campaign finds its model, whatever the clocks say.
    costModelInsert(db, newId, input.costModel, 0),
  ] as [any, ...any[]]);
  return (await withOffers(db, inserted as CampaignRow[]))[0]!;
}

export async function updateCampaign(
  db: Db,
  id: number,
  patch: Partial<CampaignInput> & { archived?: boolean },
): Promise<Campaign | undefined> {
  const { offers: patchOffers, flow, ...columns } = patch;
  const now = Date.now();
  // A campaign routes either through its flow or through its offers, never both.
  const newOffers = flow ? [] : patchOffers;
  const flowColumn = flow ? { flow: JSON.stringify(flow) } : patchOffers || flow === null ? { flow: null } : {};
  const update = db
    .update(campaigns)
    .set({ ...columns, ...flowColumn, updatedAt: now })
    .where(eq(campaigns.id, id))
    .returning();
  // Row, rotation and model history change together in one transaction, or not at all.
  const [updated] = await db.batch([
    update,
    ...(newOffers
      ? [db.delete(campaignOffers).where(eq(campaignOffers.campaignId, id)), ...offerInserts(db, id, newOffers)]
      : []),
    // Conversions know their visit's time to the second (the click ID's): the new terms apply
    // from the next whole second, so no visit made before the change takes them.
    ...(patch.costModel !== undefined ? [costModelInsert(db, id, patch.costModel, Math.ceil(now / 1000) * 1000)] : []),
  ] as [any, ...any[]]);
  if ((updated as CampaignRow[]).length === 0) return undefined;
  return getCampaign(db, id);
}

/** A model's conversion terms from `since` on (a conversion costs by its visit's model, docs/costs.md). */
function costModelInsert(db: Db, campaignId: number | SQL, model: StoredCostModel | null, since: number) {
  const terms = conversionTerms(model);
  return db
    .insert(campaignCostModels)
    .values({ campaignId: campaignId as number, since, ...terms })
    .onConflictDoUpdate({ target: [campaignCostModels.campaignId, campaignCostModels.since], set: terms });
}

function offerInserts(db: Db, campaignId: number | SQL, list: WeightedOffer[]) {
  return list.map((o, position) =>
    db
      .insert(campaignOffers)
      .values({ campaignId: campaignId as number, offerId: o.offerId, weight: o.weight, position }),
  );
}

/** The link to paste into the traffic source: with the source's parameters when it has one (docs/tracking.md). */
export function trackingUrl(origin: string, campaign: Pick<Campaign, "id" | "trafficSource">): string {
  const source = campaign.trafficSource && sourceForClick(campaign.trafficSource);
  const query = sourceQuery(source);
  return `${origin}/c/${campaign.id}${query && `?${query}`}`;
}

export function campaignJson(row: Campaign, origin: string) {
  return {
    id: row.id,
    name: row.name,
    offers: row.offers,
    flow: flowJson(row.id, parseStoredFlow(row.flow)),
    costModel: costModelJson(row.costModel),
    costPerClick: costPerClickOf(row.costModel),
    trafficSourceId: row.trafficSourceId,
    optimize: row.optimize ?? null,
    archived: row.archived,
    trackingUrl: trackingUrl(origin, row),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
