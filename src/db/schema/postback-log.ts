import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Every postback and pixel hit, refused ones included.
export const postbackLog = sqliteTable(
  "postback_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    receivedAt: integer("received_at").notNull(),
    source: text("source", { enum: ["postback", "pixel"] }).notNull(),
    ip: text("ip"),
    // Received parameters as a JSON object (the secret is masked before storing).
    params: text("params").notNull(),
    // Which parameter each field was read from, as a JSON object ({"cid":"subid"}); null if none.
    readFrom: text("read_from"),
    status: text("status", { enum: ["accepted", "updated", "duplicate", "rejected", "refused", "error"] }).notNull(),
    httpStatus: integer("http_status").notNull(),
    reason: text("reason"),
    conversionId: text("conversion_id"),
  },
  (t) => [index("postback_log_received_idx").on(t.receivedAt), index("postback_log_status_idx").on(t.status, t.id)],
);

export type PostbackLogRow = typeof postbackLog.$inferSelect;
