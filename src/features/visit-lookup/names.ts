import { flowRuleNames } from "../../click/flow-store";
import type { Db } from "../../lib/db";
import { varAliases } from "../../reports/aliases";
import { labelsFor } from "../../reports/labels";
import type { VisitLookup } from "../../visits/lookup";

type Found = Extract<VisitLookup, { click: unknown }>;

/** How the lookup page names what a visit holds: the report's names for ids, the source's aliases for var slots. */
export interface VisitNames {
  /** field → title, "var1" → "Zone" where the visit's traffic source names the slot */
  fields: Partial<Record<string, string>>;
  /** field → id → name, for the ids a visit and its lander clicks carry */
  ids: Partial<Record<string, Map<unknown, string>>>;
}

const ENTITY_FIELDS = {
  campaignId: "campaign",
  trafficSourceId: "trafficSource",
  offerId: "offer",
  landerId: "lander",
  pathId: "path",
} as const;

export async function visitNames(db: Db, result: Found): Promise<VisitNames> {
  const visit = result.visit ?? {};
  const idsOf = (field: string) =>
    [
      visit[field],
      result.click[field as keyof Found["click"]],
      ...result.landerClicks.map((c) => c[field as "pathId"]),
    ].filter((x): x is number => typeof x === "number");
  const ids: VisitNames["ids"] = {};
  for (const [field, dim] of Object.entries(ENTITY_FIELDS)) {
    const labels = await labelsFor(db, dim, idsOf(field));
    labels.delete(null);
    ids[field] = labels;
  }
  ids.ruleId = await flowRuleNames(db, idsOf("ruleId"));
  // the visit's own source, else the campaign's (the click ID alone carries no source)
  const pinned: Record<string, number> = { campaignId: result.click.campaignId };
  if (typeof visit.trafficSourceId === "number") pinned.trafficSourceId = visit.trafficSourceId;
  return { fields: await varAliases(db, pinned), ids };
}
