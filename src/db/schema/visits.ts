import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const visits = sqliteTable(
  "visits",
  {
    clickId: text("click_id").primaryKey(),
    campaignId: integer("campaign_id").notNull(),
    offerId: integer("offer_id").notNull(),
    // Epoch milliseconds (UTC).
    createdAt: integer("created_at").notNull(),
    country: text("country"),
    userAgent: text("user_agent"),
    referrer: text("referrer"),
    // Incoming query parameters as a JSON object.
    params: text("params").notNull().default("{}"),
    costMicros: integer("cost_micros").notNull().default(0),
  },
  // Reports read a time range (of one campaign, or of all) and group by campaign, offer, country
  // or day, summing cost: these indexes hold every column they need, so a range is answered
  // from the index alone.
  (t) => [
    index("visits_created_report_idx").on(t.createdAt, t.campaignId, t.offerId, t.country, t.costMicros),
    index("visits_campaign_report_idx").on(t.campaignId, t.createdAt, t.offerId, t.country, t.costMicros),
  ],
);

export type VisitRow = typeof visits.$inferSelect;
export type NewVisit = typeof visits.$inferInsert;
