import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const offers = sqliteTable("offers", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  url: text("url").notNull(),
  payoutMode: text("payout_mode", { enum: ["auto", "manual"] }).notNull(),
  // Manual payout in micro-units (1 = 0.000001); 0 for auto offers.
  payoutMicros: integer("payout_micros").notNull().default(0),
  archived: integer("archived", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export type OfferRow = typeof offers.$inferSelect;
