import { sql } from "drizzle-orm";
import { type CompiledFlow, compileFlow, type LanderTarget, type Target } from "../../click/flow";
import { campaigns, landers, offers, settings } from "../../db/schema";
import type { Db } from "../../lib/db";
import { parseStoredFlow } from "./flow-store";

/** What the redirect and GET /click need of a campaign's flow, beside CampaignForClick. */
export interface FlowForClick {
  /** null: the campaign rotates its offers (no flow). */
  flow: CompiledFlow | null;
  /** The settings' time zone, for weekday and hour conditions. */
  timezone: string;
}

/**
 * One D1 batch (one round trip): the flow, the offers and landers it names (found in the JSON by
 * json_tree, archived ones left out) and the time zone; compiled for the click.
 */
export async function getFlowForClick(db: Db, campaignId: number): Promise<FlowForClick> {
  const named = (key: string) =>
    sql`(select j.value from ${campaigns} c, json_tree(c.flow) j where c.id = ${campaignId} and j.key = ${key})`;
  const [flowRows, offerRows, landerRows, settingsRows] = await db.batch([
    db.select({ flow: campaigns.flow }).from(campaigns).where(sql`${campaigns.id} = ${campaignId}`),
    db
      .select({ id: offers.id, name: offers.name, url: offers.url })
      .from(offers)
      .where(sql`${offers.archived} = 0 and ${offers.id} in ${named("offerId")}`),
    db
      .select({ id: landers.id, name: landers.name, url: landers.url, offerCount: landers.offerCount })
      .from(landers)
      .where(sql`${landers.archived} = 0 and ${landers.id} in ${named("landerId")}`),
    db.select({ timezone: settings.timezone }).from(settings).where(sql`${settings.id} = 1`),
  ]);
  const stored = parseStoredFlow(flowRows[0]?.flow ?? null);
  const timezone = settingsRows[0]?.timezone ?? "UTC";
  if (!stored) return { flow: null, timezone };
  const offerMap = new Map<number, Target>(offerRows.map((o) => [o.id, o]));
  const landerMap = new Map<number, LanderTarget>(landerRows.map((l) => [l.id, l]));
  return { flow: compileFlow(campaignId, stored, offerMap, landerMap), timezone };
}
