import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { CONVERSION_STATUSES } from "./conversions";

/** One network variable: its value fills `var<slot>` at the click (docs/tracking.md). */
export interface SourceVariable {
  slot: number;
  param: string;
  placeholder: string;
  alias: string;
}

export const trafficSources = sqliteTable("traffic_sources", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  // The network's click ID and cost: a URL parameter and the network's macro, or both null.
  externalIdParam: text("external_id_param"),
  externalIdPlaceholder: text("external_id_placeholder"),
  costParam: text("cost_param"),
  costPlaceholder: text("cost_placeholder"),
  // At most 10, sorted by slot; JSON because they are only ever read and written whole.
  variables: text("variables", { mode: "json" }).$type<SourceVariable[]>().notNull().default([]),
  postbackUrl: text("postback_url"),
  postbackFor: text("postback_for", { enum: ["conversions", "all"] })
    .notNull()
    .default("conversions"),
  // The statuses whose arrival calls postbackUrl (a lead then its sale: one call by default).
  postbackStatuses: text("postback_statuses", { mode: "json" })
    .$type<(typeof CONVERSION_STATUSES)[number][]>()
    .notNull()
    .default(["approved"]),
  // The ad platform's conversion API: settings in clear, secrets sealed (src/lib/secrets.ts).
  conversionApi: text("conversion_api", { mode: "json" }).$type<StoredConversionApiSettings>(),
  conversionApiSecrets: text("conversion_api_secrets"),
  archived: integer("archived", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export type TrafficSourceRow = typeof trafficSources.$inferSelect;

/**
 * A conversion API's settings without its secrets, as stored: src/model/conversion-api.ts
 * validates them on the way in and gives them their exact type on the way out.
 */
export interface StoredConversionApiSettings {
  type: "meta" | "tiktok" | "google";
  [field: string]: unknown;
}
