import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { campaigns } from "./campaigns";

/**
 * The conversion-side terms of each campaign's cost model since a time (docs/costs.md): a conversion
 * costs by the model its visit was made under, so a model change never rewrites history.
 */
export const campaignCostModels = sqliteTable(
  "campaign_cost_models",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    since: integer("since").notNull(),
    // Cost per approved conversion (cpa), in micro-units; 0 for other models.
    cpaMicros: integer("cpa_micros").notNull(),
    // Share of approved revenue (revshare) in millionths; 0 for other models.
    sharePpm: integer("share_ppm").notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.since] })],
);

/** Filters of a cost update: report filter parameter -> value, as in GET /api/report. */
export type CostUpdateFilters = Record<string, string>;

/** Manual cost updates (docs/costs.md): applied when reports are computed, never written into visits. */
export const costUpdates = sqliteTable(
  "cost_updates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    fromDay: text("from_day").notNull(),
    toDay: text("to_day").notNull(),
    tz: text("tz").notNull(),
    // [start, end) in epoch ms: the local days above in tz.
    start: integer("start").notNull(),
    end: integer("end").notNull(),
    amountMicros: integer("amount_micros").notNull(),
    filters: text("filters", { mode: "json" }).$type<CostUpdateFilters>().notNull().default({}),
    // Visits covered when it was made (the report counts them again, late visits included).
    visits: integer("visits").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("cost_updates_campaign_idx").on(t.campaignId, t.start)],
);

export type CostUpdateRow = typeof costUpdates.$inferSelect;
