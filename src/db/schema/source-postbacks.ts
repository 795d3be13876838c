import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { CONVERSION_STATUSES } from "./conversions";

/** A delivery's own state: "pending" until the network answers 2xx (delivered) or gives up (failed). */
export const DELIVERY_STATES = ["pending", "delivered", "failed"] as const;
/** "url": the source's postback URL; the others: that ad platform's conversion API. */
export const DELIVERY_KINDS = ["url", "meta", "tiktok", "google"] as const;

// One call of a traffic source's postback URL per (conversion, status), docs/conversions.md.
export const sourcePostbacks = sqliteTable(
  "source_postbacks",
  {
    // Insertion order: the log's order and its paging cursor.
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    // "<conversionId>:<status>": a retried conversion write inserts nothing new.
    // "<conversionId>:<status>:<platform>" for a conversion API delivery.
    id: text("id").notNull(),
    kind: text("kind", { enum: DELIVERY_KINDS }).notNull().default("url"),
    conversionId: text("conversion_id").notNull(),
    conversionStatus: text("conversion_status", { enum: CONVERSION_STATUSES }).notNull(),
    trafficSourceId: integer("traffic_source_id").notNull(),
    // Conversion-level token values, as they were when the change was written.
    clickId: text("click_id").notNull(),
    campaignId: integer("campaign_id").notNull(),
    offerId: integer("offer_id").notNull(),
    typeName: text("type_name"),
    txid: text("txid"),
    payoutMicros: integer("payout_micros").notNull(),
    // The source's postbackUrl when the delivery was created ("" for a platform); `url` is what
    // was called, set at the first call (a platform's endpoint, never with a secret in it).
    template: text("template").notNull(),
    url: text("url"),
    state: text("state", { enum: DELIVERY_STATES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastHttpStatus: integer("last_http_status"),
    lastError: text("last_error"),
    // null: stored but not yet handed to the queue (the cron sends it).
    enqueuedAt: integer("enqueued_at"),
    // A consumer holds the delivery until then, so two copies of a message never call at once.
    leaseUntil: integer("lease_until"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("source_postbacks_id_idx").on(t.id),
    index("source_postbacks_state_idx").on(t.state, t.seq),
    index("source_postbacks_unsent_idx").on(t.enqueuedAt, t.state),
    index("source_postbacks_created_idx").on(t.createdAt),
  ],
);

export type SourcePostbackRow = typeof sourcePostbacks.$inferSelect;
