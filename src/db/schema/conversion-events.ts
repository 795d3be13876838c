import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { CONVERSION_STATUSES } from "./conversions";

/**
 * Contract B (part2.md, src/ingest/events.ts): one row per change of a conversion that moves a
 * report number, written by the ingest shard in the same D1 batch as the conversion row. The id
 * is "<conversionId>:<version>", so a retried write inserts nothing new.
 */
export const conversionEvents = sqliteTable("conversion_events", {
  id: text("id").primaryKey(),
  conversionId: text("conversion_id").notNull(),
  clickId: text("click_id").notNull(),
  visitTime: integer("visit_time").notNull(),
  campaignId: integer("campaign_id").notNull(),
  offerId: integer("offer_id").notNull(),
  landerId: integer("lander_id"),
  typeId: integer("type_id"),
  status: text("status", { enum: CONVERSION_STATUSES }).notNull(),
  previousStatus: text("previous_status", { enum: CONVERSION_STATUSES }),
  payoutMicros: integer("payout_micros").notNull(),
  previousPayoutMicros: integer("previous_payout_micros").notNull(),
  // The conversion's time: what reports bucket it by.
  at: integer("at").notNull(),
});

export type ConversionEventRow = typeof conversionEvents.$inferSelect;
