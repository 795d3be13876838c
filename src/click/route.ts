import { Hono } from "hono";
import { requireSecret } from "../lib/config";
import type { AppEnv } from "../lib/env";
import { errorBody } from "../lib/errors";
import { visitAttributes } from "../visits/attributes";
import { recordVisit } from "../visits/record";
import { cachedCampaignForClick } from "./campaign-cache";
import { newVisit, setVisitCookies, visitLocation } from "./visit";

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
  // A flow's rules, or the offers' rotation (see visit.ts); the address's budget of new values.
  const visit = await newVisit(secret, found, {
    query: c.req.query(),
    attributes: visitAttributes(c.req.raw),
    now: Date.now(),
    ip: c.req.header("cf-connecting-ip"),
  });
  if (!visit) return c.json(errorBody("not_found", "Campaign has no active offer"), 404);
  const location = visitLocation(found, visit);
  setVisitCookies(c, visit);
  // HEAD (link checkers, prefetchers) gets GET's answer but is no visit.
  if (c.req.method === "HEAD") return c.redirect(location, 302);
  // Batched with other visits and sent under waitUntil after the response; in the awaited mode
  // (no click lost even if the isolate dies) the redirect waits for the queue to hold it.
  const queued = recordVisit(c.env, c.executionCtx, visit.record);
  if (queued) await queued;
  return c.redirect(location, 302);
});
