import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// A single row (id = 1) of tracker-wide settings.
export const settings = sqliteTable("settings", {
  id: integer("id").primaryKey(),
  postbackSecret: text("postback_secret"),
  // JSON array of CIDR strings; empty = every source allowed.
  postbackAllowedIps: text("postback_allowed_ips").notNull().default("[]"),
  timezone: text("timezone").notNull().default("UTC"),
  // Raw visits older than this many days are archived to R2 and leave D1 (reports stay exact).
  visitRetentionDays: integer("visit_retention_days").notNull().default(90),
  updatedAt: integer("updated_at").notNull(),
});

export type SettingsRow = typeof settings.$inferSelect;
