import { sql } from "drizzle-orm";
import { campaigns, landers, offers, settings } from "../db/schema";
import type { Db } from "../lib/db";
import { type CompiledFlow, compileFlow, type LanderTarget, type Target } from "./flow";
import { parseStoredFlow } from "./flow-store";

/** What the redirect and GET /click need of a campaign's flow, beside CampaignForClick. */
export interface FlowForClick {
  /** null: the campaign rotates its offers (no flow). */
  flow: CompiledFlow | null;
  /** The settings' time zone, for weekday and hour conditions. */
  timezone: string;
}

/**
 * For a campaign with a flow, one D1 batch (one round trip): the offers and landers the flow
 * names (found in its JSON by json_tree; archived offers left out, archived landers marked) and
 * the time zone; compiled for the click. A campaign without a flow costs no query.
 */
export async function getFlowForClick(db: Db, campaignId: number, flowText: string | null): Promise<FlowForClick> {
  const stored = parseStoredFlow(flowText);
  if (!stored) return { flow: null, timezone: "UTC" };
  const named = (key: string) =>
    sql`(select j.value from ${campaigns} c, json_tree(c.flow) j where c.id = ${campaignId} and j.key = ${key})`;
  const [offerRows, landerRows, settingsRows] = await db.batch([
    db
      .select({ id: offers.id, name: offers.name, url: offers.url })
      .from(offers)
      .where(sql`${offers.archived} = 0 and ${offers.id} in ${named("offerId")}`),
    db
      .select({
        id: landers.id,
        name: landers.name,
        url: landers.url,
        offerCount: landers.offerCount,
        archived: landers.archived,
      })
      .from(landers)
      .where(sql`${landers.id} in ${named("landerId")}`),
    db.select({ timezone: settings.timezone }).from(settings).where(sql`${settings.id} = 1`),
  ]);
  const offerMap = new Map<number, Target>(offerRows.map((o) => [o.id, o]));
  const landerMap = new Map<number, LanderTarget & { archived: boolean }>(landerRows.map((l) => [l.id, l]));
  return { flow: compileFlow(campaignId, stored, offerMap, landerMap), timezone: settingsRows[0]?.timezone ?? "UTC" };
}
