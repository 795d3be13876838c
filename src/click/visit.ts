import { generateCookie } from "hono/cookie";
import { CLICK_COOKIE, mintClickId } from "../lib/clickid";
import { visitCostMicros } from "../model/cost-model";
import { type AdClickIds, readAdClickIds } from "../visits/ad-click-ids";
import { MAX_USER_AGENT_LENGTH, type VisitAttributes } from "../visits/attributes";
import type { VisitRecord } from "../visits/types";
import type { CachedCampaign } from "./campaign-cache";
import type { LanderTarget } from "./flow";
import { chooseTarget, VISIT_PARAMS_COOKIE, type VisitTarget, visitParamsCookie } from "./flow-visit";
import { readSourceParams } from "./source-params";
import { type ClickTokenInput, clickTokens, fillTokens } from "./tokens";
import { budgeted, cleanClickValue } from "./value-budget";

const COOKIE_MAX_AGE = 60 * 60 * 24 * 30;
const COOKIE = { path: "/", maxAge: COOKIE_MAX_AGE, httpOnly: true, secure: true, sameSite: "None" } as const;

/** A visit as GET /c/:id and the direct-tracking endpoints make it, before it is recorded. */
export interface NewVisit {
  clickId: string;
  target: VisitTarget;
  record: VisitRecord;
  attributes: VisitAttributes;
  externalId: string | null;
  vars: (string | null)[];
  adClickIds: AdClickIds | undefined;
}

export interface VisitInput {
  /** The incoming parameters: the campaign link's query, or the lander page URL's. */
  query: Record<string, string>;
  attributes: VisitAttributes;
  now: number;
  /**
   * Direct tracking: the lander the visitor is already on. The flow's rules still choose the path
   * (and so the offers /click picks from); the visit records this lander and no offer yet.
   */
  onLander?: LanderTarget;
  /** The visitor's address (CF-Connecting-IP): its budget of new values (value-budget.ts). */
  ip?: string;
}

/**
 * One visit of a campaign (README: Flows): the traffic source's parameters, the flow's rules or
 * the offers' rotation, the cost model, a click ID, and the record storage keeps. Pure apart from
 * minting the ID; null when the campaign has nowhere to send the visit.
 */
export async function newVisit(secret: string, found: CachedCampaign, input: VisitInput): Promise<NewVisit | null> {
  const { query, attributes, now, onLander, ip } = input;
  // The source's parameters come with the cached campaign: no storage read here.
  const params = readSourceParams(found.source, query);
  // Clipped, and beyond the address's budget of new values hashed (see value-budget.ts).
  const vars = budgeted(params.vars, ip);
  const externalId = cleanClickValue(params.externalId);
  const adClickIds = readAdClickIds(query);
  const routed = chooseTarget(found, attributes, vars, now);
  if (!routed) return null;
  const target = onLander ? { ...routed, offer: null, lander: onLander } : routed;
  const { offer, lander } = target;

  const clickId = await mintClickId(secret, {
    visitTime: now,
    campaignId: found.campaign.id,
    offerId: offer?.id ?? 0,
    landerId: lander?.id ?? null,
    pathId: target.pathId,
  });
  const record: VisitRecord = {
    ...attributes,
    userAgent: budgeted([attributes.userAgent], ip, MAX_USER_AGENT_LENGTH)[0] ?? null,
    clickId,
    createdAt: now,
    campaignId: found.campaign.id,
    trafficSourceId: found.source?.id ?? null,
    offerId: offer?.id ?? null,
    landerId: lander?.id ?? null,
    pathId: target.pathId,
    ruleId: target.ruleId,
    externalId,
    // By the campaign's cost model; auto takes the network's cost when its source passes one.
    costMicros: visitCostMicros(found.campaign.costModel, params.costMicros),
    vars,
    adClickIds,
  };
  return { clickId, target, record, attributes, externalId, vars, adClickIds };
}

/** Where the visit goes next: its lander's or offer's URL with the tokens filled. */
export function visitLocation(found: CachedCampaign, visit: NewVisit): string {
  const { offer, lander } = visit.target;
  const input: ClickTokenInput = {
    clickId: visit.clickId,
    campaign: found.campaign,
    offer: offer && { id: offer.id, name: offer.name ?? "" },
    lander,
    source: found.source,
    params: { externalId: visit.externalId, vars: visit.vars },
    attributes: visit.attributes,
    adClickIds: visit.adClickIds,
  };
  return fillTokens((lander ?? offer)!.url, clickTokens(input));
}

/**
 * The Set-Cookie values of a visit: the tracker's click-ID cookie (conversion pixel, /click), and
 * for a lander visit what /click fills tokens with.
 */
export function visitCookies(visit: NewVisit): string[] {
  const cookies = [generateCookie(CLICK_COOKIE, visit.clickId, COOKIE)];
  if (!visit.target.lander) return cookies;
  // What GET /click needs to fill var1…var10, {externalid} and the ad click IDs without reading storage.
  const params = visitParamsCookie(visit.clickId, visit);
  if (params) cookies.push(generateCookie(VISIT_PARAMS_COOKIE, params, COOKIE));
  return cookies;
}
