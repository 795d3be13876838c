import { desc, eq } from "drizzle-orm";
import { type CostUpdateRow, campaigns, costUpdates } from "../../db/schema";
import type { Db } from "../../lib/db";
import { ApiError, fieldsError } from "../../lib/errors";
import { microsToDecimal } from "../../lib/money";
import { dayStart, parseDay } from "../../lib/timezone";
import { getSettings } from "../../model/settings";
import { covers, laterOverlaps, MAX_PARTIAL_OVERLAPS, overlaps, updateVisits } from "../../reports/cost-updates";
import { attributeKeys, type CostUpdateBody } from "./schema";

/** Most recent first; at most this many per page of the list. */
export const LIST_LIMIT = 500;

/**
 * Stores an update after its checks: the campaign exists (400 naming campaignId), and no update
 * would be partly overlapped by more than MAX_PARTIAL_OVERLAPS later ones (409: each report
 * counts 2^n intersections for it). Answers with the visits it covers now.
 */
export async function createCostUpdate(db: Db, body: CostUpdateBody): Promise<CostUpdateRow> {
  const tz = body.tz ?? (await getSettings(db)).timezone;
  const campaign = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, body.campaignId)).get();
  if (!campaign) throw fieldsError([{ path: "campaignId", message: `campaign ${body.campaignId} does not exist` }]);
  const start = dayStart(tz, parseDay(body.from)!);
  const end = dayStart(tz, parseDay(body.to)! + 1);
  const scope = { id: Number.MAX_SAFE_INTEGER, campaignId: body.campaignId, start, end, filters: body.filters };
  // Every update of the campaign: an update this one overlaps may already be overlapped by
  // others outside this one's days, and the limit counts them all.
  const all = [
    ...(await db.select().from(costUpdates).where(eq(costUpdates.campaignId, body.campaignId)).all()),
    scope,
  ];
  for (const e of all.slice(0, -1)) {
    if (!overlaps(e, scope) || covers(scope, e)) continue;
    // Where they meet, a report would count visits by two attributes at once: raw visits only.
    const attributes = new Set([...attributeKeys(e.filters), ...attributeKeys(body.filters)]);
    if (attributes.size > 1)
      throw new ApiError(
        "conflict",
        `cost update ${e.id} (filtered by ${attributeKeys(e.filters).join(", ")}) overlaps this one (filtered by ${attributeKeys(body.filters).join(", ")}) on another attribute; reports cannot apply both from rollups: delete it, use other days, or make this update cover it whole`,
      );
    const later = laterOverlaps(e, all);
    if (later && later.length > MAX_PARTIAL_OVERLAPS)
      throw new ApiError(
        "conflict",
        `cost update ${e.id} would be partly overlapped by more than ${MAX_PARTIAL_OVERLAPS} later updates; delete some of them, or make this one cover it whole`,
      );
  }
  const visits = await updateVisits(db, scope, tz);
  const [row] = await db
    .insert(costUpdates)
    .values({
      campaignId: body.campaignId,
      fromDay: body.from,
      toDay: body.to,
      tz,
      start,
      end,
      amountMicros: body.amount,
      filters: body.filters,
      visits,
      createdAt: Date.now(),
    })
    .returning();
  return row!;
}

export function listCostUpdates(db: Db, campaignId?: number): Promise<CostUpdateRow[]> {
  return db
    .select()
    .from(costUpdates)
    .where(campaignId === undefined ? undefined : eq(costUpdates.campaignId, campaignId))
    .orderBy(desc(costUpdates.id))
    .limit(LIST_LIMIT)
    .all();
}

/** Deletes one update (its visits' cost is what it was before, at once); undefined: no such update. */
export async function deleteCostUpdate(db: Db, id: number): Promise<CostUpdateRow | undefined> {
  const [row] = await db.delete(costUpdates).where(eq(costUpdates.id, id)).returning();
  return row;
}

export function costUpdateJson(row: CostUpdateRow) {
  return {
    id: row.id,
    campaignId: row.campaignId,
    from: row.fromDay,
    to: row.toDay,
    tz: row.tz,
    amount: microsToDecimal(row.amountMicros),
    filters: row.filters,
    visits: row.visits,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
