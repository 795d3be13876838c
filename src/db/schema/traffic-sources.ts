import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One network variable: its value fills `var<slot>` at the click (SPEC §9). */
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
  archived: integer("archived", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export type TrafficSourceRow = typeof trafficSources.$inferSelect;
