import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const CONVERSION_STATUSES = ["approved", "pending", "rejected"] as const;

export const conversions = sqliteTable(
  "conversions",
  {
    // Minted by the ingest Durable Object before the D1 write, so retries reuse it.
    id: text("id").primaryKey(),
    clickId: text("click_id").notNull(),
    campaignId: integer("campaign_id").notNull(),
    offerId: integer("offer_id").notNull(),
    // null = the default conversion type.
    typeId: integer("type_id"),
    // null = no transaction id.
    txid: text("txid"),
    // "<clickId>|<typeId or empty>|<txid or empty>": SQLite treats NULLs as distinct in unique
    // indexes, so uniqueness of (click, type, txid) is enforced on this derived key.
    dedupeKey: text("dedupe_key").notNull(),
    // In the account currency (docs/conversions.md), converted at the rate in force on arrival.
    payoutMicros: integer("payout_micros").notNull(),
    // Epoch milliseconds (UTC).
    conversionTime: integer("conversion_time").notNull(),
    receivedAt: integer("received_at").notNull(),
    source: text("source", { enum: ["postback", "upload", "pixel"] }).notNull(),
    status: text("status", { enum: CONVERSION_STATUSES }).notNull().default("approved"),
    // 1 on registration, +1 per status transition: the D1 write keeps the highest version, so
    // writes retried or arriving out of order never roll a conversion back.
    version: integer("version").notNull().default(1),
    // Epoch ms of the last transition; null = never changed.
    statusChangedAt: integer("status_changed_at"),
    // The payout as the network sent it (before conversion) and its ISO 4217 currency; null on
    // rows registered before currencies existed.
    currency: text("currency"),
    originalPayoutMicros: integer("original_payout_micros"),
    // Parameters of the postback or pixel that no field reads, as a bounded JSON object.
    extra: text("extra"),
  },
  (t) => [
    uniqueIndex("conversions_dedupe_idx").on(t.dedupeKey),
    // (time, id) is the list's keyset order; the rest lets reports sum a range from the index alone.
    index("conversions_time_report_idx").on(
      t.conversionTime,
      t.id,
      t.campaignId,
      t.offerId,
      t.typeId,
      t.payoutMicros,
      t.status,
    ),
    index("conversions_campaign_report_idx").on(
      t.campaignId,
      t.conversionTime,
      t.id,
      t.offerId,
      t.typeId,
      t.payoutMicros,
      t.status,
    ),
    index("conversions_click_idx").on(t.clickId),
  ],
);

export type ConversionRow = typeof conversions.$inferSelect;
export type NewConversion = typeof conversions.$inferInsert;
