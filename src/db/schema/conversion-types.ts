import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const conversionTypes = sqliteTable(
  "conversion_types",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    includeInConversions: integer("include_in_conversions", { mode: "boolean" }).notNull().default(true),
    archived: integer("archived", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("conversion_types_name_idx").on(t.name)],
);

export type ConversionTypeRow = typeof conversionTypes.$inferSelect;
