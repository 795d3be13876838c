import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// A single row (id = 1) of tracker-wide settings.
export const settings = sqliteTable("settings", {
  id: integer("id").primaryKey(),
  postbackSecret: text("postback_secret"),
  // JSON array of CIDR strings; empty = every source allowed.
  postbackAllowedIps: text("postback_allowed_ips").notNull().default("[]"),
  timezone: text("timezone").notNull().default("UTC"),
  // JSON object: a network's status word (lower case) -> approved | pending | rejected.
  statusMap: text("status_map").notNull().default("{}"),
  // ISO 4217 code of the account: payouts are converted to it, reports are in it.
  currency: text("currency").notNull().default("USD"),
  // JSON object: ISO 4217 code -> units of the account currency per unit, as a decimal string.
  currencyRates: text("currency_rates").notNull().default("{}"),
  updatedAt: integer("updated_at").notNull(),
});

export type SettingsRow = typeof settings.$inferSelect;
