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
  (t) => [
    index("visits_created_at_idx").on(t.createdAt),
    index("visits_campaign_created_idx").on(t.campaignId, t.createdAt),
  ],
);

export type VisitRow = typeof visits.$inferSelect;
export type NewVisit = typeof visits.$inferInsert;
