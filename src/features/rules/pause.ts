import type { CachedCampaign } from "../../click/campaign-cache";
import { applyLiveState } from "../../click/live-state";
import type { PAUSE_DIMENSIONS } from "./schema";

export type PauseDimension = (typeof PAUSE_DIMENSIONS)[number];

type Item = { id: number; weight: number };

/** Every rotation of the campaign that the dimension's items take part in, named for the log. */
function rotations(c: CachedCampaign, dim: PauseDimension): { name: string; items: Item[] }[] {
  const flow = c.flow;
  if (!flow)
    return dim === "offer"
      ? [{ name: "the campaign", items: c.offers.map((o) => ({ id: o.offerId, weight: o.weight })) }]
      : [];
  if (dim === "path")
    return [
      ...flow.rules.map((r) => ({ name: `rule ${r.id}`, items: r.paths })),
      { name: "the default paths", items: flow.defaultPaths },
    ];
  return [...flow.paths.values()].map((p) => ({
    name: `path ${p.name}`,
    items: dim === "lander" ? p.landers : p.offers.filter((o) => o !== null),
  }));
}

/**
 * Why this item cannot be paused in the campaign (null: it can): a rotation never loses its last
 * live option, and an item that takes no traffic there has nothing to pause.
 */
export function pauseBlocker(c: CachedCampaign, dim: PauseDimension, id: number): string | null {
  const holding = rotations(c, dim).filter((r) => r.items.some((i) => i.id === id && i.weight > 0));
  if (holding.length === 0) return c.live.paused[dim].has(id) ? "already paused" : `not a live ${dim} of this campaign`;
  const last = holding.find((r) => !r.items.some((i) => i.id !== id && i.weight > 0));
  return last ? `the last live ${dim} of ${last.name}` : null;
}

/** Marks the item paused in the loaded campaign, so the next guard sees it. */
export function notePaused(c: CachedCampaign, dim: PauseDimension, id: number): void {
  c.live.paused[dim].add(id);
  applyLiveState(c, { ...c.live, learned: null });
}
