import { VAR_SLOTS } from "../model/vars";
import { type AdClickIds, readAdClickIds } from "../visits/ad-click-ids";
import type { VisitAttributes } from "../visits/attributes/types";
import { getVisit } from "../visits/queries";
import type { CachedCampaign } from "./campaign-cache";
import { type FlowAttributes, type LanderTarget, localClock, routeVisit, type Target } from "./flow";
import { isBlocklisted } from "./live-state";
import { pickWeighted, secureRandom } from "./rotation";

/** Where GET /c sends a visit, and what the visit records about how it got there. */
export interface VisitTarget {
  /** null when the visit goes to a lander first (GET /click picks the offer). */
  offer: (Omit<Target, "name"> & { name?: string }) | null;
  lander: LanderTarget | null;
  pathId: number | null;
  ruleId: number | null;
}

/**
 * A campaign without a flow rotates its offers exactly as before; one with a flow routes the
 * visit by its rules (weekday and hour read only when a rule needs them). null: nowhere to go.
 */
export function chooseTarget(
  found: CachedCampaign,
  attributes: FlowAttributes & Partial<VisitAttributes>,
  vars: readonly (string | null)[],
  now: number,
): VisitTarget | null {
  if (!found.flow) {
    const offer = pickWeighted(found.offers, secureRandom());
    return offer ? { offer: { ...offer, id: offer.offerId }, lander: null, pathId: null, ruleId: null } : null;
  }
  let clock: { weekday: number; hour: number } | undefined;
  const subject = {
    attributes,
    vars,
    clock: () => (clock ??= localClock(found.timezone, now)),
    blocklisted: () => isBlocklisted(found.live.blocklist, attributes, vars, found.source?.id ?? null),
  };
  const route = routeVisit(found.flow, subject, secureRandom);
  return route && { offer: route.offer, lander: route.lander, pathId: route.path.id, ruleId: route.ruleId };
}

/**
 * GET /click fills the offer's tokens with the visit's var1…var10, external ID and ad click IDs,
 * which only the campaign link carried. A lander visit keeps them in this cookie, tied to its click ID, so
 * /click needs no storage read (the visit's row may not be in D1 yet). Without the cookie (a
 * visit recorded by the direct-tracking script, a browser that refuses it) /click reads them from
 * the stored visit (storedVisitParams); while that is not in D1 yet, those tokens are empty.
 */
export const VISIT_PARAMS_COOKIE = "ct_vp";
/** Kept well under the 4 KB browsers allow per cookie; longer values are left out. */
const MAX_COOKIE_CHARS = 3000;

export interface VisitParams {
  vars: (string | null)[];
  externalId: string | null;
  adClickIds?: AdClickIds;
}

export function visitParamsCookie(clickId: string, p: VisitParams): string | null {
  const q = new URLSearchParams();
  for (const [i, v] of p.vars.entries()) if (v !== null) q.set(`v${i + 1}`, v);
  if (p.externalId !== null) q.set("x", p.externalId);
  for (const [k, v] of Object.entries(p.adClickIds ?? {})) q.set(k, v);
  const value = `${clickId}.${q}`;
  return encodeURIComponent(value).length <= MAX_COOKIE_CHARS ? value : null;
}

export function readVisitParams(cookie: string | undefined, clickId: string): VisitParams | null {
  if (!cookie?.startsWith(`${clickId}.`)) return null;
  const q = new URLSearchParams(cookie.slice(clickId.length + 1));
  return {
    vars: Array.from({ length: VAR_SLOTS }, (_, i) => q.get(`v${i + 1}`)),
    externalId: q.get("x"),
    adClickIds: readAdClickIds(Object.fromEntries(q)),
  };
}

/** The same values from the visit's stored row: one primary-key seek; null while it is not in D1. */
export async function storedVisitParams(
  d1: D1Database,
  clickId: string,
  visitTime: number,
): Promise<VisitParams | null> {
  const visit = await getVisit(d1, clickId, visitTime);
  if (!visit) return null;
  const vars = Array.from({ length: VAR_SLOTS }, (_, i) => visit.attributes[`var${i + 1}`] ?? null);
  return { vars, externalId: visit.externalId, adClickIds: visit.adClickIds };
}
