import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { CLICK_COOKIE, mintClickId } from "../lib/clickid";
import { requireSecret } from "../lib/config";
import type { AppEnv } from "../lib/env";
import { errorBody } from "../lib/errors";
import { visitCostMicros } from "../model/cost-model";
import { MAX_VAR_LENGTH } from "../model/vars";
import { readAdClickIds } from "../visits/ad-click-ids";
import { visitAttributes } from "../visits/attributes";
import { recordVisit } from "../visits/record";
import { cachedCampaignForClick } from "./campaign-cache";
import { chooseTarget, VISIT_PARAMS_COOKIE, visitParamsCookie } from "./flow-visit";
import { readSourceParams } from "./source-params";
import { clickTokens, fillTokens } from "./tokens";

const COOKIE_MAX_AGE = 60 * 60 * 24 * 30;
const MAX_PARAM_LENGTH = MAX_VAR_LENGTH;
const COOKIE = { path: "/", maxAge: COOKIE_MAX_AGE, httpOnly: true, secure: true, sameSite: "None" } as const;

const notFound = errorBody("not_found", "Campaign not found");

export const clickRoutes = new Hono<AppEnv>().get("/c/:campaignId", async (c) => {
  const raw = c.req.param("campaignId");
  c.header("Cache-Control", "no-store");
  if (!/^\d{1,10}$/.test(raw)) return c.json(notFound, 404);
  // Without the secret no click ID can be minted: a 503 naming it, not a 500 per click.
  const secret = requireSecret(c.var.config, "CLICKID_SECRET");
  // Normally a cache hit: no D1 round trip before the answer (see campaigns/cache.ts).
  const found = await cachedCampaignForClick(c.var.db, Number(raw), c.var.config.campaignCacheTtlMs);
  if (!found || found.campaign.archived) return c.json(notFound, 404);
  const query = c.req.query();
  const attributes = visitAttributes(c.req.raw);
  // The source's parameters come with the cached campaign: no storage read here.
  const params = readSourceParams(found.source, query);
  const vars = params.vars.map((v) => clip(v ?? undefined));
  const adClickIds = readAdClickIds(query);
  const now = Date.now();
  // A flow's rules, or the offers' rotation (see flow-visit.ts).
  const target = chooseTarget(found, attributes, vars, now);
  if (!target) return c.json(errorBody("not_found", "Campaign has no active offer"), 404);
  const { offer, lander } = target;

  const clickId = await mintClickId(secret, {
    visitTime: now,
    campaignId: found.campaign.id,
    offerId: offer?.id ?? 0,
    landerId: lander?.id ?? null,
    pathId: target.pathId,
  });
  const location = fillTokens(
    (lander ?? offer)!.url,
    clickTokens({
      clickId,
      campaign: found.campaign,
      offer: offer && { id: offer.id, name: offer.name ?? "" },
      lander,
      source: found.source,
      params,
      attributes,
      adClickIds,
    }),
  );

  setCookie(c, CLICK_COOKIE, clickId, COOKIE);
  if (lander) {
    // What GET /click needs to fill var1…var10 and {externalid} without reading storage.
    const cookie = visitParamsCookie(clickId, {
      vars,
      externalId: clip(params.externalId ?? undefined),
      adClickIds,
    });
    if (cookie) setCookie(c, VISIT_PARAMS_COOKIE, cookie, COOKIE);
  }
  // HEAD (link checkers, prefetchers) gets GET's answer but is no visit.
  if (c.req.method === "HEAD") return c.redirect(location, 302);
  // Batched with other visits and sent under waitUntil after the response; in the awaited mode
  // (no click lost even if the isolate dies) the redirect waits for the queue to hold it.
  const queued = recordVisit(c.env, c.executionCtx, {
    ...attributes,
    clickId,
    createdAt: now,
    campaignId: found.campaign.id,
    trafficSourceId: found.source?.id ?? null,
    offerId: offer?.id ?? null,
    landerId: lander?.id ?? null,
    pathId: target.pathId,
    ruleId: target.ruleId,
    externalId: clip(params.externalId ?? undefined),
    // By the campaign's cost model; auto takes the network's cost when its source passes one.
    costMicros: visitCostMicros(found.campaign.costModel, params.costMicros),
    vars,
    adClickIds,
  });
  if (queued) await queued;
  return c.redirect(location, 302);
});

function clip(value: string | undefined): string | null {
  return value === undefined ? null : value.slice(0, MAX_PARAM_LENGTH);
}
