import { desc, eq } from "drizzle-orm";
import { campaignBlocklist, campaignPauses, type LearnedWeights, learnedWeights } from "../db/schema";
import type { Db } from "../lib/db";
import type { VisitAttributes } from "../visits/attributes/types";
import type { CampaignForClick } from "./campaign-query";
import type { CompiledFlow, FlowPath } from "./flow";
import type { FlowForClick } from "./flow-click";

/**
 * What rules and the optimiser change about a campaign's traffic (docs/rules.md): its blocklist,
 * the offers, landers and paths paused in it, and the learned weights. Loaded with the campaign
 * into the per-isolate cache, so the redirect reads none of it from D1.
 */
export interface LiveState {
  /** Dimension → values, lower-cased. */
  blocklist: Map<string, Set<string>>;
  paused: Record<"offer" | "lander" | "path", Set<number>>;
  learned: LearnedWeights | null;
  /** When the learned weights were computed. */
  learnedAt: number | null;
}

/** One round trip: blocklist, pauses, and the newest learned weights. */
export async function loadLiveState(db: Db, campaignId: number): Promise<LiveState> {
  const [blocked, pauses, learned] = await db.batch([
    db
      .select({ dimension: campaignBlocklist.dimension, value: campaignBlocklist.value })
      .from(campaignBlocklist)
      .where(eq(campaignBlocklist.campaignId, campaignId)),
    db
      .select({ dimension: campaignPauses.dimension, itemId: campaignPauses.itemId })
      .from(campaignPauses)
      .where(eq(campaignPauses.campaignId, campaignId)),
    db
      .select({ weights: learnedWeights.weights, computedAt: learnedWeights.computedAt })
      .from(learnedWeights)
      .where(eq(learnedWeights.campaignId, campaignId))
      .orderBy(desc(learnedWeights.computedAt))
      .limit(1),
  ]);
  const state: LiveState = {
    blocklist: new Map(),
    paused: { offer: new Set(), lander: new Set(), path: new Set() },
    learned: learned[0]?.weights ?? null,
    learnedAt: learned[0]?.computedAt ?? null,
  };
  for (const b of blocked) {
    const set = state.blocklist.get(b.dimension) ?? new Set<string>();
    set.add(b.value.toLowerCase());
    state.blocklist.set(b.dimension, set);
  }
  for (const p of pauses) state.paused[p.dimension].add(p.itemId);
  return state;
}

type Weighted = { weight: number };

/**
 * Paused options get weight 0, unless that would leave the list with none (a pause never takes
 * a rotation's last live option); then learned weights replace the rest when they were learned
 * for exactly these options (else the configured weights hold until the next recomputation).
 */
function adjust<T extends Weighted>(
  list: T[],
  idOf: (t: T) => number,
  paused: Set<number>,
  learned?: Record<string, number>,
) {
  const live = list.filter((o) => o.weight > 0 && !paused.has(idOf(o)));
  if (live.length === 0) return;
  for (const o of list) if (paused.has(idOf(o))) o.weight = 0;
  if (!learned) return;
  const keys = Object.keys(learned);
  if (keys.length !== live.length || !live.every((o) => String(idOf(o)) in learned)) return;
  for (const o of live) o.weight = learned[String(idOf(o))]!;
}

/** The campaign's rotation and flow with pauses and learned weights applied, in place. */
export function applyLiveState<C extends CampaignForClick & FlowForClick>(campaign: C, live: LiveState): C {
  adjust(campaign.offers, (o) => o.offerId, live.paused.offer, live.learned?.offers);
  if (campaign.flow) applyToFlow(campaign.flow, live);
  return campaign;
}

function applyToFlow(flow: CompiledFlow, live: LiveState) {
  for (const list of [...flow.rules.map((r) => r.paths), flow.defaultPaths])
    adjust(list, (p) => p.id, live.paused.path);
  for (const path of flow.paths.values()) {
    const learned = live.learned?.paths?.[String(path.id)];
    adjust(path.landers, (l) => l.id, live.paused.lander, learned?.landers);
    const offers = path.offers.filter((o): o is NonNullable<FlowPath["offers"][number]> => o !== null);
    adjust(offers, (o) => o.id, live.paused.offer, learned?.offers);
  }
}

/** A report dimension's value for a visit, where the click knows it; undefined otherwise. */
function visitValue(
  dim: string,
  a: Partial<VisitAttributes>,
  vars: readonly (string | null | undefined)[],
  sourceId: number | null,
): string | null | undefined {
  if (dim.startsWith("var")) return vars[Number(dim.slice(3)) - 1] ?? null;
  if (dim === "device") return a.deviceType ?? null;
  if (dim === "trafficSource") return sourceId === null ? null : String(sourceId);
  if (dim in BLOCKABLE) return (a[dim as keyof typeof BLOCKABLE] as string | null | undefined) ?? null;
  return undefined;
}

const BLOCKABLE = {
  country: 1,
  region: 1,
  city: 1,
  language: 1,
  brand: 1,
  model: 1,
  os: 1,
  osVersion: 1,
  browser: 1,
  browserVersion: 1,
  isp: 1,
  referrerDomain: 1,
} as const;

/** Whether one of the visit's values is on the campaign's blocklist (the flow field `blocklisted`). */
export function isBlocklisted(
  blocklist: Map<string, Set<string>>,
  attributes: Partial<VisitAttributes>,
  vars: readonly (string | null | undefined)[],
  sourceId: number | null,
): boolean {
  for (const [dim, values] of blocklist) {
    const value = visitValue(dim, attributes, vars, sourceId);
    if (value && values.has(value.toLowerCase())) return true;
  }
  return false;
}
