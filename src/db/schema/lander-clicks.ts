import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One click on a lander's call to action (GET /click, /click/:n); a visit may have several. */
export const landerClicks = sqliteTable(
  "lander_clicks",
  {
    // Random, minted at the click: a retried batch write cannot double a row.
    id: text("id").primaryKey(),
    clickId: text("click_id").notNull(),
    // Epoch milliseconds (UTC): the visit's time (from the click ID) and the lander click's.
    visitTime: integer("visit_time").notNull(),
    createdAt: integer("created_at").notNull(),
    campaignId: integer("campaign_id").notNull(),
    landerId: integer("lander_id").notNull(),
    pathId: integer("path_id"),
    offerId: integer("offer_id").notNull(),
  },
  (t) => [index("lander_clicks_click_idx").on(t.clickId), index("lander_clicks_visit_time_idx").on(t.visitTime)],
);

export type LanderClickRow = typeof landerClicks.$inferSelect;
