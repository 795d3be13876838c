import { asc, eq } from "drizzle-orm";
import { type ConversionTypeRow, conversionTypes } from "../../db/schema";
import type { Db } from "../../lib/db";

export const CONVERSION_TYPE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function listConversionTypes(db: Db, opts: { includeArchived?: boolean } = {}) {
  const q = db.select().from(conversionTypes).orderBy(asc(conversionTypes.id));
  return opts.includeArchived ? q.all() : q.where(eq(conversionTypes.archived, false)).all();
}

export function getConversionType(db: Db, id: number) {
  return db.select().from(conversionTypes).where(eq(conversionTypes.id, id)).get();
}

export function getConversionTypeByName(db: Db, name: string) {
  return db.select().from(conversionTypes).where(eq(conversionTypes.name, name)).get();
}

export async function createConversionType(db: Db, input: { name: string; includeInConversions: boolean }) {
  const now = Date.now();
  const [row] = await db
    .insert(conversionTypes)
    .values({ ...input, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  return row; // undefined: the name is taken
}

export async function updateConversionType(
  db: Db,
  id: number,
  patch: { name?: string; includeInConversions?: boolean; archived?: boolean },
) {
  const [row] = await db
    .update(conversionTypes)
    .set({ ...patch, updatedAt: Date.now() })
    .where(eq(conversionTypes.id, id))
    .returning();
  return row;
}

export function conversionTypeJson(row: ConversionTypeRow) {
  return {
    id: row.id,
    name: row.name,
    includeInConversions: row.includeInConversions,
    archived: row.archived,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
