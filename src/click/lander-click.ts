import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { CLICK_COOKIE, verifyClickId } from "../lib/clickid";
import { requireSecret } from "../lib/config";
import type { AppEnv } from "../lib/env";
import { errorBody } from "../lib/errors";
import { visitAttributes } from "../visits/attributes";
import { cachedCampaignForClick } from "./campaign-cache";
import { offerForClick } from "./flow";
import { readVisitParams, storedVisitParams, VISIT_PARAMS_COOKIE } from "./flow-visit";
import { recordLanderClick } from "./lander-click-store";
import { secureRandom } from "./rotation";
import { clickTokens, fillTokens, usesVisitParams } from "./tokens";

const notFound = (c: Context<AppEnv>, message: string) => c.json(errorBody("not_found", message), 404);

/**
 * GET /click and /click/:n, a lander's calls to action (docs/tracking.md): the visit comes from `cid`, or
 * else the click-ID cookie; /click sends the visitor to an offer of the visit's path by weight,
 * /click/n to its n-th offer. Everything needed is in the click ID and the campaign cache, so it
 * works the moment after the visit, before its row is in D1. Anything that does not lead to a
 * configured offer is a 404, never a redirect elsewhere. HEAD answers the same and records nothing.
 */
async function landerClick(c: Context<AppEnv>, n: number | undefined) {
  c.header("Cache-Control", "no-store");
  const clickId = c.req.query("cid") || getCookie(c, CLICK_COOKIE) || "";
  const visit = await verifyClickId(requireSecret(c.var.config, "CLICKID_SECRET"), clickId);
  if (!visit || visit.landerId === null || visit.pathId === null)
    return notFound(c, "No click ID of a visit sent to a lander (cid parameter or cookie)");
  const found = await cachedCampaignForClick(c.var.db, visit.campaignId, c.var.config.campaignCacheTtlMs);
  const path = found?.flow?.paths.get(visit.pathId);
  if (!found || !path) return notFound(c, "The visit's path no longer exists");
  const offer = offerForClick(path, n, secureRandom);
  if (!offer) return notFound(c, n === undefined ? "The path has no live offer" : `The path has no live offer ${n}`);

  const lander = found.flow!.landers.get(visit.landerId);
  // Without the cookie the visit's parameters come from D1, read only when the offer URL uses them.
  const params =
    readVisitParams(getCookie(c, VISIT_PARAMS_COOKIE), clickId) ??
    (usesVisitParams(offer.url) ? await storedVisitParams(c.env.DB, clickId, visit.visitTime) : null);
  const values = clickTokens({
    clickId,
    campaign: found.campaign,
    offer: { id: offer.id, name: offer.name },
    lander: lander ?? null,
    source: found.source,
    params: { externalId: params?.externalId ?? null, vars: params?.vars ?? [] },
    attributes: visitAttributes(c.req.raw),
    adClickIds: params?.adClickIds,
  });

  if (c.req.method !== "HEAD")
    recordLanderClick(c.env, c.executionCtx, {
      clickId,
      visitTime: visit.visitTime,
      campaignId: visit.campaignId,
      landerId: visit.landerId,
      pathId: visit.pathId,
      offerId: offer.id,
      createdAt: Date.now(),
    });
  return c.redirect(fillTokens(offer.url, values), 302);
}

export const landerClickRoutes = new Hono<AppEnv>()
  .get("/click", (c) => landerClick(c, undefined))
  .get("/click/:n", (c) => {
    const n = c.req.param("n");
    if (!/^[1-9]\d{0,2}$/.test(n)) return notFound(c, "No such call to action");
    return landerClick(c, Number(n));
  });
