import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const landers = sqliteTable("landers", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  url: text("url").notNull(),
  // Calls to action on the page: /click/1 … /click/<offerCount>.
  offerCount: integer("offer_count").notNull().default(1),
  archived: integer("archived", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export type LanderRow = typeof landers.$inferSelect;
