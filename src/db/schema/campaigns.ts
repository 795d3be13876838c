import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { offers } from "./offers";
import { trafficSources } from "./traffic-sources";

export const campaigns = sqliteTable("campaigns", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  // Cost per click in micro-units; null when the campaign has no click cost.
  costPerClickMicros: integer("cost_per_click_micros"),
  // The network that sends the visitors (SPEC §9); null: none, read var1…var10 and externalid.
  trafficSourceId: integer("traffic_source_id").references(() => trafficSources.id),
  // The flow (SPEC §11) as JSON (features/campaigns/flow-store.ts); null: the offers rotate alone.
  flow: text("flow"),
  archived: integer("archived", { mode: "boolean" }).notNull().default(false),
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
