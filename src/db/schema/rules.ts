import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A rule's conditions and action as stored (features/rules/schema.ts is their one schema). */
export interface StoredCondition {
  metric: string;
  op: string;
  value: number;
}
export type StoredAction = { type: "blocklist" } | { type: "pause" } | { type: "notify"; url: string };

export const rules = sqliteTable("rules", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  // null: every campaign.
  campaignIds: text("campaign_ids", { mode: "json" }).$type<number[] | null>(),
  dimension: text("dimension").notNull(),
  windowHours: integer("window_hours").notNull(),
  conditions: text("conditions", { mode: "json" }).notNull().$type<StoredCondition[]>(),
  action: text("action", { mode: "json" }).notNull().$type<StoredAction>(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// A value that acted and still matches: "a value acts once" (features/rules/evaluate.ts).
export const ruleMatches = sqliteTable(
  "rule_matches",
  {
    ruleId: integer("rule_id").notNull(),
    campaignId: integer("campaign_id").notNull(),
    value: text("value").notNull(),
    since: integer("since").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.campaignId, t.value] })],
);

export const ruleFirings = sqliteTable(
  "rule_firings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ruleId: integer("rule_id").notNull(),
    campaignId: integer("campaign_id").notNull(),
    dimension: text("dimension").notNull(),
    value: text("value").notNull(),
    label: text("label").notNull(),
    metrics: text("metrics", { mode: "json" }).notNull().$type<Record<string, number | null>>(),
    action: text("action").notNull(),
    result: text("result").notNull(),
    firedAt: integer("fired_at").notNull(),
  },
  (t) => [index("rule_firings_rule_idx").on(t.ruleId, t.id), index("rule_firings_time_idx").on(t.firedAt)],
);

export const campaignBlocklist = sqliteTable(
  "campaign_blocklist",
  {
    campaignId: integer("campaign_id").notNull(),
    dimension: text("dimension").notNull(),
    value: text("value").notNull(),
    // null: added by hand.
    ruleId: integer("rule_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.dimension, t.value] })],
);

/** An offer, lander or path that gets none of a campaign's traffic until unpaused. */
export const campaignPauses = sqliteTable(
  "campaign_pauses",
  {
    campaignId: integer("campaign_id").notNull(),
    dimension: text("dimension", { enum: ["offer", "lander", "path"] }).notNull(),
    itemId: integer("item_id").notNull(),
    ruleId: integer("rule_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.dimension, t.itemId] })],
);

export const ruleNotifications = sqliteTable(
  "rule_notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ruleId: integer("rule_id").notNull(),
    campaignId: integer("campaign_id").notNull(),
    url: text("url").notNull(),
    payload: text("payload").notNull(),
    state: text("state", { enum: ["pending", "delivered", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastHttpStatus: integer("last_http_status"),
    lastError: text("last_error"),
    // null: stored but not yet handed to the queue (the cron sends it).
    enqueuedAt: integer("enqueued_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("rule_notifications_rule_idx").on(t.ruleId, t.id),
    index("rule_notifications_unsent_idx").on(t.enqueuedAt, t.state),
  ],
);

/** A rotation's learning settings (src/model/optimize.ts). */
export interface StoredOptimize {
  metric: "epc" | "cr";
  windowHours: number;
  minShare: number;
}

/** Shares per option, integers summing to 10,000 per rotation (features/optimizer). */
export interface LearnedWeights {
  offers?: Record<string, number>;
  paths?: Record<string, { offers?: Record<string, number>; landers?: Record<string, number> }>;
}

export const learnedWeights = sqliteTable(
  "learned_weights",
  {
    campaignId: integer("campaign_id").notNull(),
    computedAt: integer("computed_at").notNull(),
    weights: text("weights", { mode: "json" }).notNull().$type<LearnedWeights>(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.computedAt] })],
);

export type RuleRow = typeof rules.$inferSelect;
export type RuleFiringRow = typeof ruleFirings.$inferSelect;
export type RuleNotificationRow = typeof ruleNotifications.$inferSelect;
