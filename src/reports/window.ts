import type { Db } from "../lib/db";
import { DAY_MS } from "../lib/timezone";
import { getSettings } from "../model/settings";
import { badParam, type DateRange } from "./range";

/**
 * Drill-downs with several attribute filters read raw visits, which D1 keeps for the retention
 * period only (older days are archived to R2): a range reaching further back is refused.
 */
export async function retentionCheck(db: Db, range: DateRange, now = Date.now()): Promise<void> {
  const { visitRetentionDays } = await getSettings(db);
  const oldest = Math.floor((now - visitRetentionDays * DAY_MS) / DAY_MS) * DAY_MS;
  if (range.start < oldest) {
    throw badParam(
      "from",
      `reports filtered by more than one attribute read raw visits, kept ${visitRetentionDays} days: start on or after ${new Date(oldest).toISOString().slice(0, 10)}`,
    );
  }
}
