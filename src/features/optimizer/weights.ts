import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { CachedCampaign } from "../../click/campaign-cache";
import { learnedWeights } from "../../db/schema";
import type { Db } from "../../lib/db";

const shares = <T extends { weight: number }>(list: T[]) => {
  const total = list.reduce((s, o) => s + o.weight, 0);
  return list.map((o) => ({ ...o, share: total > 0 ? Math.round((o.weight / total) * 1e4) / 1e4 : 0 }));
};

/**
 * `effectiveWeights` of GET /api/campaigns/:id: the weights the redirect uses now, learned where
 * the rotation learns, 0 where a rule paused an option, else as configured.
 */
export function effectiveWeightsJson(c: CachedCampaign) {
  return {
    learnedAt: c.live.learnedAt === null ? null : new Date(c.live.learnedAt).toISOString(),
    offers: c.flow ? [] : shares(c.offers.map((o) => ({ offerId: o.offerId, weight: o.weight }))),
    paths: c.flow
      ? [...c.flow.paths.values()].map((p) => ({
          pathId: p.id,
          name: p.name,
          weight: p.weight,
          landers: shares(p.landers.map((l) => ({ landerId: l.id, weight: l.weight }))),
          offers: shares(p.offers.flatMap((o) => (o ? [{ offerId: o.id, weight: o.weight }] : []))),
        }))
      : [],
  };
}

/** The learned weights between two instants, oldest first (at most `limit` rows). */
export async function weightHistory(db: Db, campaignId: number, from: number, to: number, limit = 5000) {
  const rows = await db
    .select()
    .from(learnedWeights)
    .where(
      and(
        eq(learnedWeights.campaignId, campaignId),
        gte(learnedWeights.computedAt, from),
        lt(learnedWeights.computedAt, to),
      ),
    )
    .orderBy(asc(learnedWeights.computedAt))
    .limit(limit);
  return rows.map((r) => ({ computedAt: new Date(r.computedAt).toISOString(), weights: r.weights }));
}
