import { and, eq, isNotNull, like, lt, or } from "drizzle-orm";
import { type CachedCampaign, loadCampaignForClick } from "../../click/campaign-cache";
import type { FlowPath } from "../../click/flow";
import { flowPaths, parseStoredFlow } from "../../click/flow-store";
import { campaigns, type LearnedWeights, learnedWeights, type StoredOptimize } from "../../db/schema";
import type { Db } from "../../lib/db";
import { flowItemId } from "../../lib/path-ids";
import { Figures } from "../../reports/figures";
import { learnShares, type Random, seededRandom, toWeights } from "./thompson";

/** Learned weights are kept this long (one row per campaign and 5 minutes). */
export const WEIGHT_HISTORY_DAYS = 14;

type Option = { id: number; weight: number };

/** One rotation's learned weights from the window's report rows (the report engine's figures). */
async function learn(
  figures: Figures,
  campaignId: number,
  options: Option[],
  groupBy: "offer" | "lander",
  settings: StoredOptimize,
  random: Random,
  filters: Record<string, number> = {},
): Promise<Record<string, number> | undefined> {
  const live = options.filter((o) => o.weight > 0);
  if (live.length === 0) return undefined;
  const rows = await figures.rows(campaignId, groupBy, settings.windowHours, filters);
  const shares = learnShares(
    live.map((o) => {
      const row = rows.find((r) => r.key === o.id);
      return {
        id: o.id,
        configured: o.weight,
        visits: row?.visits ?? 0,
        conversions: row?.conversions ?? 0,
        revenue: row?.revenue ?? 0,
      };
    }),
    settings,
    random,
  );
  const weights = toWeights(shares);
  return Object.fromEntries(live.map((o, i) => [String(o.id), weights[i]!]));
}

/** The learned weights of one campaign, from its configured weights with pauses applied. */
export async function learnCampaign(
  figures: Figures,
  campaign: CachedCampaign,
  random: Random,
): Promise<LearnedWeights | null> {
  const id = campaign.campaign.id;
  const out: LearnedWeights = {};
  const optimize = campaign.campaign.optimize;
  if (optimize && !campaign.flow) {
    const options = campaign.offers.map((o) => ({ id: o.offerId, weight: o.weight }));
    out.offers = await learn(figures, id, options, "offer", optimize, random);
  }
  const stored = parseStoredFlow(campaign.campaign.flow);
  for (const [p] of stored ? flowPaths(stored) : []) {
    const compiled = campaign.flow?.paths.get(flowItemId(id, p.number));
    if (!p.optimize || !compiled) continue;
    const filters = { path: compiled.id };
    const offers = compiled.offers.filter((o): o is NonNullable<FlowPath["offers"][number]> => o !== null);
    (out.paths ??= {})[String(compiled.id)] = {
      offers: await learn(figures, id, offers, "offer", p.optimize, random, filters),
      landers: await learn(figures, id, compiled.landers, "lander", p.optimize, random, filters),
    };
  }
  return out.offers || out.paths ? out : null;
}

/**
 * The cron's step: every live campaign that learns gets new weights from the window ending now;
 * the redirect picks them up with the campaign's next cache load (within seconds).
 */
export async function runOptimizer(db: Db, now: number, random: Random = cryptoSeeded()): Promise<number> {
  const rows = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.archived, false), or(isNotNull(campaigns.optimize), like(campaigns.flow, '%"optimize"%'))));
  const figures = new Figures(db, now);
  let learned = 0;
  for (const { id } of rows) {
    // Configured weights with pauses applied: learning never revives a paused option.
    const campaign = await loadCampaignForClick(db, id, { learned: false });
    const weights = campaign && (await learnCampaign(figures, campaign, random));
    if (!weights) continue;
    await db.insert(learnedWeights).values({ campaignId: id, computedAt: now, weights }).onConflictDoNothing();
    learned++;
  }
  await db.delete(learnedWeights).where(lt(learnedWeights.computedAt, now - WEIGHT_HISTORY_DAYS * 86_400_000));
  return learned;
}

function cryptoSeeded(): Random {
  return seededRandom(crypto.getRandomValues(new Uint32Array(1))[0]!);
}
