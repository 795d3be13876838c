import { and, asc, eq } from "drizzle-orm";
import { campaignBlocklist, campaignPauses } from "../../db/schema";
import type { Db } from "../../lib/db";

/** A campaign's blocklist as dimension → values, in the order they were added. */
export async function blocklistOf(db: Db, campaignId: number, dimension?: string): Promise<Record<string, string[]>> {
  const rows = await db
    .select({ dimension: campaignBlocklist.dimension, value: campaignBlocklist.value })
    .from(campaignBlocklist)
    .where(
      and(
        eq(campaignBlocklist.campaignId, campaignId),
        dimension === undefined ? undefined : eq(campaignBlocklist.dimension, dimension),
      ),
    )
    .orderBy(asc(campaignBlocklist.dimension), asc(campaignBlocklist.createdAt), asc(campaignBlocklist.value));
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.dimension] ??= []).push(r.value);
  return out;
}

/** Removes one value; false when it was not on the list. */
export async function unblock(db: Db, campaignId: number, dimension: string, value: string): Promise<boolean> {
  const rows = await db
    .delete(campaignBlocklist)
    .where(
      and(
        eq(campaignBlocklist.campaignId, campaignId),
        eq(campaignBlocklist.dimension, dimension),
        eq(campaignBlocklist.value, value),
      ),
    )
    .returning();
  return rows.length > 0;
}

export const pausesOf = (db: Db, campaignId: number) =>
  db
    .select()
    .from(campaignPauses)
    .where(eq(campaignPauses.campaignId, campaignId))
    .orderBy(asc(campaignPauses.createdAt));

/** Unpauses one offer, lander or path; false when it was not paused. */
export async function unpause(db: Db, campaignId: number, dimension: string, itemId: number): Promise<boolean> {
  const rows = await db
    .delete(campaignPauses)
    .where(
      and(
        eq(campaignPauses.campaignId, campaignId),
        eq(campaignPauses.dimension, dimension as "offer"),
        eq(campaignPauses.itemId, itemId),
      ),
    )
    .returning();
  return rows.length > 0;
}
