import { visits, type NewVisit } from "../db/schema";
import { getDb } from "../lib/db";

/**
 * Stores one visit. Called under waitUntil after the redirect has been answered, so it must
 * never throw into the response path: failures are logged.
 */
export async function recordVisit(d1: D1Database, visit: NewVisit): Promise<void> {
  try {
    await getDb(d1).insert(visits).values(visit).onConflictDoNothing();
  } catch (err) {
    console.error("visit not recorded", visit.clickId, err);
  }
}
