import { asc, eq } from "drizzle-orm";
import { type ConversionTypeRow, conversionTypes } from "../../db/schema";
import { type Db, isUniqueViolation } from "../../lib/db";
import { ApiError } from "../../lib/errors";

// Re-exported for src/ingest/fields.ts, which reads it from here; the rule lives in schema.ts.
export { CONVERSION_TYPE_NAME } from "./schema";

/** 409 naming the field: the API's answer, and the form's line next to Name. */
function nameTaken(name: string): ApiError {
  const message = `a conversion type named "${name}" already exists`;
  return new ApiError("conflict", `A conversion type named "${name}" already exists`, [{ path: "name", message }]);
}

export function listConversionTypes(db: Db, opts: { includeArchived?: boolean } = {}) {
  const q = db.select().from(conversionTypes).orderBy(asc(conversionTypes.id));
  return opts.includeArchived ? q.all() : q.where(eq(conversionTypes.archived, false)).all();
}

export function getConversionType(db: Db, id: number) {
  return db.select().from(conversionTypes).where(eq(conversionTypes.id, id)).get();
}

/** Throws a 409 ApiError when the name is taken (archived types keep theirs). */
export async function createConversionType(db: Db, input: { name: string; includeInConversions: boolean }) {
  const now = Date.now();
  const [row] = await db
    .insert(conversionTypes)
    .values({ ...input, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  if (!row) throw nameTaken(input.name);
  return row;
}

/**
 * The unique index decides whether a name is taken, so two saves racing for one name get one
 * 409 rather than a check that both pass. Undefined: no such type.
 */
export async function updateConversionType(
  db: Db,
  id: number,
  patch: { name?: string; includeInConversions?: boolean; archived?: boolean },
) {
  try {
    const [row] = await db
      .update(conversionTypes)
      .set({ ...patch, updatedAt: Date.now() })
      .where(eq(conversionTypes.id, id))
      .returning();
    return row;
  } catch (err) {
    if (patch.name !== undefined && isUniqueViolation(err)) throw nameTaken(patch.name);
    throw err;
  }
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
