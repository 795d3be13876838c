import { getQueryParam } from "hono/utils/url";
import { getConfig, requireSecret } from "../lib/config";
import { getDb } from "../lib/db";
import { ApiError } from "../lib/errors";
import { visitAttributes } from "../visits/attributes";
import { recordVisit } from "../visits/record";
import { cachedCampaignForClick } from "./campaign-cache";
import { newVisit, visitCookies, visitLocation } from "./visit";

const CAMPAIGN_ID = /^\d{1,10}$/;

/**
 * The campaign segment of a `/c/<segment>` path (of a GET or HEAD, already decoded as the router
 * decodes paths), null for any other path.
 */
export function clickSegment(path: string): string | null {
  if (!path.startsWith("/c/")) return null;
  const segment = path.slice(3);
  return segment === "" || segment.includes("/") ? null : segment;
}

/**
 * GET /c/:campaignId: the visit (flow rules or rotation, cost, click ID), its cookies, the 302 to
 * the lander or offer. index.ts serves it through lib/hot-path.ts (request id, error envelope).
 */
export async function serveClick(
  request: Request,
  env: Env,
  ctx: ExecutionContext,
  segment: string,
): Promise<Response> {
  // Thrown: lib/hot-path.ts answers it in the JSON envelope with the request id.
  const notFound = (error: string) => new ApiError("not_found", error);
  if (!CAMPAIGN_ID.test(segment)) throw notFound("Campaign not found");
  const config = getConfig(env);
  // Without the secret no click ID can be minted: a 503 naming it, not a 500 per click.
  const secret = requireSecret(config, "CLICKID_SECRET");
  // Normally a cache hit: no D1 round trip before the answer (see campaign-cache.ts).
  const found = await cachedCampaignForClick(getDb(env.DB), Number(segment), config.campaignCacheTtlMs);
  if (!found || found.campaign.archived) throw notFound("Campaign not found");
  // A flow's rules, or the offers' rotation (see visit.ts); the address's budget of new values.
  const visit = await newVisit(secret, found, {
    query: getQueryParam(request.url) as Record<string, string>,
    attributes: visitAttributes(request),
    now: Date.now(),
    ip: request.headers.get("cf-connecting-ip") ?? undefined,
  });
  if (!visit) throw notFound("Campaign has no active offer");
  const location = visitLocation(found, visit);
  // HEAD (link checkers, prefetchers) gets GET's answer but is no visit. Otherwise the visit is
  // batched with others and sent under waitUntil after the response; in the awaited mode (no
  // click lost even if the isolate dies) the redirect waits for the queue to hold it.
  if (request.method !== "HEAD") {
    const queued = recordVisit(env, ctx, visit.record);
    if (queued) await queued;
  }
  // A Headers object: workerd converts it faster than an array of pairs.
  const headers = new Headers();
  headers.set("Cache-Control", "no-store");
  // A header holds Latin-1 only: anything beyond is percent-encoded, as browsers would.
  headers.set("Location", /[\u0100-\uffff]/.test(location) ? encodeURI(location) : location);
  for (const cookie of visitCookies(visit)) headers.append("Set-Cookie", cookie);
  return new Response(null, { status: 302, headers });
}
