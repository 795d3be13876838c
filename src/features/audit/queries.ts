import { and, desc, eq, inArray, isNull, lt, type SQL } from "drizzle-orm";
import { type AuditRow, auditLog } from "../../db/schema";
import type { Db } from "../../lib/db";
import type { AuditQuery } from "./schema";

/** Entries are kept 400 days; the cron deletes older ones PRUNE_CHUNK at a time. */
export const AUDIT_RETENTION_DAYS = 400;
export const PRUNE_CHUNK = 1000;
/** At most this many chunks per cron run (every 5 minutes): a backlog drains over several runs. */
export const PRUNE_CHUNKS_PER_RUN = 10;

export interface AuditPage {
  rows: AuditRow[];
  nextCursor: string | null;
}

/** Newest first; the cursor is the id of the last entry of the previous page (as the other logs). */
export async function listAudit(db: Db, q: AuditQuery): Promise<AuditPage> {
  const where: SQL[] = [];
  if (q.cursor !== undefined) where.push(lt(auditLog.id, q.cursor));
  if (q.entity) where.push(eq(auditLog.entity, q.entity));
  if (q.entityId) where.push(eq(auditLog.entityId, q.entityId));
  if (q.actor) {
    where.push(eq(auditLog.actorKind, q.actor.kind));
    where.push(q.actor.id === null ? isNull(auditLog.actorId) : eq(auditLog.actorId, q.actor.id));
  }
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1)
    .all();
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { rows: page, nextCursor: more ? String(page[page.length - 1]!.id) : null };
}

/** Deletes entries older than the retention in chunks, so one run never holds D1 for long. */
export async function pruneAudit(db: Db, now: number): Promise<number> {
  const cutoff = now - AUDIT_RETENTION_DAYS * 86_400_000;
  let deleted = 0;
  for (let i = 0; i < PRUNE_CHUNKS_PER_RUN; i++) {
    const old = db.select({ id: auditLog.id }).from(auditLog).where(lt(auditLog.at, cutoff)).limit(PRUNE_CHUNK);
    const gone = await db.delete(auditLog).where(inArray(auditLog.id, old)).returning({ id: auditLog.id });
    deleted += gone.length;
    if (gone.length < PRUNE_CHUNK) break;
  }
  return deleted;
}

export function auditJson(row: AuditRow) {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: { kind: row.actorKind, id: row.actorId, label: row.actorLabel },
    via: row.via,
    entity: row.entity,
    entityId: row.entityId,
    action: row.action,
    changes: JSON.parse(row.changes) as Record<string, { from: unknown; to: unknown }>,
  };
}
