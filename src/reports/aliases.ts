import { eq } from "drizzle-orm";
import { campaigns, trafficSources } from "../db/schema";
import type { Db } from "../lib/db";

/**
 * The names the view's traffic source gives its var slots ({"var1": "Zone"}), for column titles,
 * the dimension picker and breadcrumbs. The source is the one filtered by `trafficSourceId`, else
 * the filtered campaign's; without either, slots keep their names (var1 … var10), since two
 * sources may use one slot for different things.
 */
export async function varAliases(db: Db, filters: Record<string, string | number>) {
  let sourceId = filters.trafficSourceId === undefined ? null : Number(filters.trafficSourceId);
  if (sourceId === null && filters.campaignId !== undefined) {
    const campaign = await db
      .select({ sourceId: campaigns.trafficSourceId })
      .from(campaigns)
      .where(eq(campaigns.id, Number(filters.campaignId)))
      .get();
    sourceId = campaign?.sourceId ?? null;
  }
  const source =
    sourceId === null
      ? undefined
      : await db
          .select({ variables: trafficSources.variables })
          .from(trafficSources)
          .where(eq(trafficSources.id, sourceId))
          .get();
  const named = (source?.variables ?? []).filter((v) => v.alias !== "");
  return Object.fromEntries(named.map((v) => [`var${v.slot}`, v.alias])) as Partial<Record<string, string>>;
}
