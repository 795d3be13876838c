import { count, eq } from "drizzle-orm";
import { visits } from "../db/schema";
import type { Db } from "../lib/db";

export function getVisit(db: Db, clickId: string) {
  return db.select().from(visits).where(eq(visits.clickId, clickId)).get();
}

export async function countVisits(db: Db, campaignId?: number): Promise<number> {
  const q = db.select({ n: count() }).from(visits);
  const row = await (campaignId === undefined ? q : q.where(eq(visits.campaignId, campaignId))).get();
  return row?.n ?? 0;
}
