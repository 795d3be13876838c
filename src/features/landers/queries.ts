import { asc, eq, inArray } from "drizzle-orm";
import { type LanderRow, landers } from "../../db/schema";
import type { Db } from "../../lib/db";
import type { LanderInput } from "./schema";

export function listLanders(db: Db, opts: { includeArchived?: boolean } = {}): Promise<LanderRow[]> {
  const q = db.select().from(landers).orderBy(asc(landers.id));
  return opts.includeArchived ? q.all() : q.where(eq(landers.archived, false)).all();
}

export function getLander(db: Db, id: number): Promise<LanderRow | undefined> {
  return db.select().from(landers).where(eq(landers.id, id)).get();
}

export function getLandersByIds(db: Db, ids: number[]): Promise<LanderRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select().from(landers).where(inArray(landers.id, ids)).all();
}

export async function createLander(db: Db, input: LanderInput): Promise<LanderRow> {
  const now = Date.now();
  const [row] = await db
    .insert(landers)
    .values({ ...input, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export async function updateLander(
  db: Db,
  id: number,
  patch: Partial<LanderInput> & { archived?: boolean },
): Promise<LanderRow | undefined> {
  const [row] = await db
    .update(landers)
    .set({ ...patch, updatedAt: Date.now() })
    .where(eq(landers.id, id))
    .returning();
  return row;
}

/** The API's view of a lander. */
export function landerJson(row: LanderRow) {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    offerCount: row.offerCount,
    archived: row.archived,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** The call-to-action links a lander of `offerCount` offers puts on its page. */
export function ctaUrls(origin: string, offerCount: number): string[] {
  return [`${origin}/click`, ...Array.from({ length: offerCount }, (_, i) => `${origin}/click/${i + 1}`)];
}
