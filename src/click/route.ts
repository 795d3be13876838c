import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { cachedCampaignForClick } from "../features/campaigns/cache";
import { CLICK_COOKIE, mintClickId } from "../lib/clickid";
import { requireSecret } from "../lib/config";
import type { AppEnv } from "../lib/env";
import { errorBody } from "../lib/errors";
import { recordVisit } from "../visits/record";
import { pickWeighted, secureRandom } from "./rotation";
import { fillTokens, TOKEN_NAMES, type TokenName } from "./tokens";

const COOKIE_MAX_AGE = 60 * 60 * 24 * 30;
const MAX_PARAM_LENGTH = 1000;

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
  const offer = pickWeighted(found.offers, secureRandom());
  if (!offer) return c.json(errorBody("not_found", "Campaign has no active offer"), 404);

  const now = Date.now();
  const clickId = await mintClickId(secret, {
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

  setCookie(c, CLICK_COOKIE, clickId, {
    path: "/",
    maxAge: COOKIE_MAX_AGE,
    httpOnly: true,
    secure: true,
    sameSite: "None",
  });
  // HEAD (link checkers, prefetchers) gets GET's answer but is no visit.
  if (c.req.method === "HEAD") return c.redirect(location, 302);
  // Batched with other visits; the batch's write runs under waitUntil after the response.
  recordVisit(
    c.env.DB,
    {
      clickId,
      campaignId: found.campaign.id,
      offerId: offer.offerId,
      createdAt: now,
      country,
      userAgent: clip(c.req.header("user-agent")),
      referrer: clip(c.req.header("referer")),
      params: JSON.stringify(Object.fromEntries(Object.entries(query).map(([k, v]) => [clip(k), clip(v)]))),
      costMicros: found.campaign.costPerClickMicros ?? 0,
    },
    (write) => c.executionCtx.waitUntil(write),
  );
  return c.redirect(location, 302);
});

function clip(value: string | undefined): string | null {
  return value === undefined ? null : value.slice(0, MAX_PARAM_LENGTH);
}
