import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { cachedCampaignForClick, campaignTtlMs } from "../features/campaigns/cache";
import { CLICK_COOKIE, mintClickId } from "../lib/clickid";
import type { AppEnv } from "../lib/env";
import { errorBody } from "../lib/errors";
import { recordVisit } from "../visits/record";
import { VAR_SLOTS, type VisitRecordAttributes } from "../visits/types";
import { pickWeighted, secureRandom } from "./rotation";
import { fillTokens, TOKEN_NAMES, type TokenName } from "./tokens";

const COOKIE_MAX_AGE = 60 * 60 * 24 * 30;
const MAX_PARAM_LENGTH = 1000;

const notFound = errorBody("not_found", "Campaign not found");

export const clickRoutes = new Hono<AppEnv>().get("/c/:campaignId", async (c) => {
  const raw = c.req.param("campaignId");
  c.header("Cache-Control", "no-store");
  if (!/^\d{1,10}$/.test(raw)) return c.json(notFound, 404);
  // Normally a cache hit: no D1 round trip before the answer (see campaigns/cache.ts).
  const found = await cachedCampaignForClick(c.var.db, Number(raw), campaignTtlMs(c.env.CAMPAIGN_CACHE_TTL_MS));
  if (!found || found.campaign.archived) return c.json(notFound, 404);
  const offer = pickWeighted(found.offers, secureRandom());
  if (!offer) return c.json(errorBody("not_found", "Campaign has no active offer"), 404);

  const now = Date.now();
  const clickId = await mintClickId(c.env.CLICKID_SECRET, {
    visitTime: now,
    campaignId: found.campaign.id,
    offerId: offer.offerId,
  });
  const query = c.req.query();
  const country = (c.req.raw.cf?.country as string | undefined) ?? null;
  const values: Partial<Record<TokenName, string>> = {
    clickid: clickId,
    "campaign.id": String(found.campaign.id),
    "offer.id": String(offer.offerId),
    "country.code": country ?? "",
    externalid: query.externalid,
  };
  for (const name of TOKEN_NAMES) if (name.startsWith("var")) values[name] = query[name];
  const location = fillTokens(offer.url, values);

  // Batched with other visits; the batch's write runs under waitUntil after the response.
  recordVisit(c.env, c.executionCtx, {
    clickId,
    createdAt: now,
    campaignId: found.campaign.id,
    trafficSourceId: null,
    offerId: offer.offerId,
    landerId: null,
    pathId: null,
    ruleId: null,
    externalId: clip(query.externalid),
    costMicros: found.campaign.costPerClickMicros ?? 0,
    vars: Array.from({ length: VAR_SLOTS }, (_, i) => clip(query[`var${i + 1}`])),
    ...noAttributes,
    country,
    userAgent: clip(c.req.header("user-agent")),
    referrerDomain: referrerHost(c.req.header("referer")),
  });
  setCookie(c, CLICK_COOKIE, clickId, {
    path: "/",
    maxAge: COOKIE_MAX_AGE,
    httpOnly: true,
    secure: true,
    sameSite: "None",
  });
  return c.redirect(location, 302);
});

function clip(value: string | undefined): string | null {
  return value === undefined ? null : value.slice(0, MAX_PARAM_LENGTH);
}

// Until the attributes parser (src/visits/attributes) lands, a visit records only the country,
// user agent and referrer host.
const noAttributes: VisitRecordAttributes = {
  deviceType: null,
  brand: null,
  model: null,
  os: null,
  osVersion: null,
  browser: null,
  browserVersion: null,
  language: null,
  country: null,
  region: null,
  city: null,
  isp: null,
  asn: null,
  ip: null,
  referrerDomain: null,
  bot: false,
  userAgent: null,
};

function referrerHost(referer: string | undefined): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).hostname.toLowerCase().replace(/^www\./, "") || null;
  } catch {
    return null;
  }
}
