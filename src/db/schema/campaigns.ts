import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { offers } from "./offers";
import type { StoredOptimize } from "./rules";
import { trafficSources } from "./traffic-sources";

/** A campaign's cost model in micro-units (docs/costs.md; features/campaigns/cost-model.ts). */
export type StoredCostModel =
  | { type: "cpc" | "cpm" | "cpa"; amountMicros: number }
  | { type: "revshare"; sharePpm: number }
  | { type: "auto"; amountMicros: number | null }
  | { type: "none" };

export const campaigns = sqliteTable("campaigns", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  // The cost model (docs/costs.md, features/campaigns/cost-model.ts); null: auto without a fallback.
  costModel: text("cost_model", { mode: "json" }).$type<StoredCostModel>(),
  // The network that sends the visitors (docs/tracking.md); null: none, read var1…var10 and externalid.
  trafficSourceId: integer("traffic_source_id").references(() => trafficSources.id),
  // The flow (docs/tracking.md) as JSON (features/campaigns/flow-store.ts); null: the offers rotate alone.
  flow: text("flow"),
  archived: integer("archived", { mode: "boolean" }).notNull().default(false),
  // The offer rotation's learning (features/optimizer); null: fixed weights.
  optimize: text("optimize", { mode: "json" }).$type<StoredOptimize>(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const campaignOffers = sqliteTable(
  "campaign_offers",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    offerId: integer("offer_id")
      .notNull()
      .references(() => offers.id),
    weight: integer("weight").notNull(),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.offerId] }), index("campaign_offers_offer_idx").on(t.offerId)],
);

export type CampaignRow = typeof campaigns.$inferSelect;
export type CampaignOfferRow = typeof campaignOffers.$inferSelect;
