import { and, desc, eq, gte, lt, lte, sql } from "drizzle-orm";
import { conversions, conversionTypes } from "../../db/schema";
import type { Db } from "../../lib/db";
import { microsToDecimal } from "../../lib/money";
import { isoInZone } from "../../lib/timezone";
import type { DateRange } from "../../reports/range";
import { type Cursor, encodeCursor } from "./cursor";

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export interface ListQuery {
  range: DateRange;
  campaignId?: number;
  status?: "approved" | "pending" | "rejected";
  limit: number;
  after?: Cursor;
}

/** The page query, exposed so tests can EXPLAIN it. */
export function listStatement(db: Db, q: ListQuery) {
  return db
    .select({ row: conversions, type: conversionTypes.name })
    .from(conversions)
    .leftJoin(conversionTypes, eq(conversionTypes.id, conversions.typeId))
    .where(
      and(
        gte(conversions.conversionTime, q.range.start),
        // After a cursor the index range itself ends at the cursor's time, so a later page reads
        // only its own rows (and ties), not every row before it.
        q.after
          ? lte(conversions.conversionTime, Math.min(q.after.time, q.range.end - 1))
          : lt(conversions.conversionTime, q.range.end),
        q.campaignId === undefined ? undefined : eq(conversions.campaignId, q.campaignId),
        q.status === undefined ? undefined : eq(conversions.status, q.status),
        q.after && sql`(${conversions.conversionTime}, ${conversions.id}) < (${q.after.time}, ${q.after.id})`,
      ),
    )
    .orderBy(desc(conversions.conversionTime), desc(conversions.id))
    .limit(q.limit + 1);
}

/**
 * One page of conversions, newest first. Keyset pagination on (conversion_time, id): a page starts
 * strictly after the previous page's last row, so conversions arriving meanwhile never shift rows
 * into or out of a page the reader has not seen yet (no skips, no repeats).
 */
export async function listConversions(db: Db, q: ListQuery) {
  const rows = await listStatement(db, q);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > q.limit && last ? encodeCursor({ time: last.row.conversionTime, id: last.row.id }) : null;
  return { conversions: page.map((r) => conversionJson(r.row, r.type, q.range.tz)), nextCursor };
}

export const CONVERSION_COLUMNS = [
  "id",
  "clickId",
  "campaignId",
  "offerId",
  "type",
  "txid",
  "payout",
  "conversionTime",
  "receivedAt",
  "source",
  "status",
  "statusChangedAt",
  "currency",
  "originalPayout",
  "extra",
] as const;

export type ConversionJson = Record<Exclude<(typeof CONVERSION_COLUMNS)[number], "extra">, string | number | null> & {
  extra: Record<string, string> | null;
};

/**
 * docs/admin-api.md, docs/conversions.md fields; times in ISO-8601 with the offset of the requested zone, type null =
 * default; payout in the account currency, originalPayout and currency as the network sent them
 * (null on conversions from before currencies); extra = the parameters no field read.
 */
function conversionJson(row: typeof conversions.$inferSelect, type: string | null, tz: string): ConversionJson {
  return {
    id: row.id,
    clickId: row.clickId,
    campaignId: row.campaignId,
    // 0 is stored for a lander visit that never clicked through: no offer.
    offerId: row.offerId === 0 ? null : row.offerId,
    type,
    txid: row.txid,
    payout: microsToDecimal(row.payoutMicros),
    conversionTime: isoInZone(tz, row.conversionTime),
    receivedAt: isoInZone(tz, row.receivedAt),
    source: row.source,
    status: row.status,
    statusChangedAt: row.statusChangedAt === null ? null : isoInZone(tz, row.statusChangedAt),
    currency: row.currency,
    originalPayout: row.originalPayoutMicros === null ? null : microsToDecimal(row.originalPayoutMicros),
    extra: row.extra === null ? null : (JSON.parse(row.extra) as Record<string, string>),
  };
}

/** Count and payout per status of the range (and campaign): the list page's totals. */
export async function conversionTotals(db: Db, q: Pick<ListQuery, "range" | "campaignId">) {
  const rows = await db
    .select({
      status: conversions.status,
      count: sql<number>`count(*)`,
      payout: sql<number>`sum(${conversions.payoutMicros})`,
    })
    .from(conversions)
    .where(
      and(
        gte(conversions.conversionTime, q.range.start),
        lt(conversions.conversionTime, q.range.end),
        q.campaignId === undefined ? undefined : eq(conversions.campaignId, q.campaignId),
      ),
    )
    .groupBy(conversions.status);
  return rows.map((r) => ({ status: r.status, count: r.count, payout: microsToDecimal(r.payout ?? 0) }));
}
