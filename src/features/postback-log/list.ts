import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { type PostbackLogRow, postbackLog } from "../../db/schema";
import type { Db } from "../../lib/db";
import type { LogStatus } from "./schema";

export interface LogPage {
  rows: PostbackLogRow[];
  nextCursor: string | null;
}

/** Newest first; the cursor is the id of the last entry of the previous page. */
export async function listLog(db: Db, opts: { limit: number; cursor?: number; status?: LogStatus }): Promise<LogPage> {
  const where: SQL[] = [];
  if (opts.cursor !== undefined) where.push(lt(postbackLog.id, opts.cursor));
  if (opts.status) where.push(eq(postbackLog.status, opts.status));
  const rows = await db
    .select()
    .from(postbackLog)
    .where(and(...where))
    .orderBy(desc(postbackLog.id))
    .limit(opts.limit + 1)
    .all();
  const more = rows.length > opts.limit;
  const page = more ? rows.slice(0, opts.limit) : rows;
  return { rows: page, nextCursor: more ? String(page[page.length - 1]!.id) : null };
}

export function logEntryJson(row: PostbackLogRow) {
  return {
    id: row.id,
    receivedAt: new Date(row.receivedAt).toISOString(),
    source: row.source,
    ip: row.ip,
    params: JSON.parse(row.params) as Record<string, string>,
    readFrom: row.readFrom === null ? null : (JSON.parse(row.readFrom) as Record<string, string>),
    status: row.status,
    httpStatus: row.httpStatus,
    reason: row.reason,
    conversionId: row.conversionId,
  };
}
