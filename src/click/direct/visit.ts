import { z } from "zod";
import { getConfig, requireSecret } from "../../lib/config";
import { getDb } from "../../lib/db";
import { MAX_AD_CLICK_ID_LENGTH } from "../../visits/ad-click-ids";
import { visitAttributes } from "../../visits/attributes";
import { referrerDomain } from "../../visits/attributes/request-fields";
import { recordVisit } from "../../visits/record";
import type { WaitUntilContext } from "../../visits/types";
import { cachedCampaignForClick } from "../campaign-cache";
import type { LanderTarget } from "../flow";
import { type NewVisit, newVisit } from "../visit";

const id = (what: string) =>
  z
    .string()
    .regex(/^\d{1,10}$/, `must be a ${what} id`)
    .transform(Number);
const MAX_URL_LENGTH = 4096;
const PAGE_URL = "must be the page's http(s) URL";
/** The text as a URL when it is an http(s) one, else null: the one rule of both schemas below. */
function httpUrl(text: string): URL | null {
  const url = URL.parse(text);
  return url && /^https?:$/.test(url.protocol) ? url : null;
}
const pageUrl = z
  .string()
  .max(MAX_URL_LENGTH)
  .refine((u) => httpUrl(u) !== null, PAGE_URL);
/** The same check, answering the parsed URL: the beacon's page URL is parsed once per visit. */
const parsedPageUrl = z
  .string()
  .max(MAX_URL_LENGTH)
  .transform((u, ctx) => {
    const url = httpUrl(u);
    if (url) return url;
    ctx.addIssue({ code: "custom", message: PAGE_URL });
    return z.NEVER;
  });

/** The no-JavaScript image: campaign and lander only (the page URL comes from the Referer header). */
export const imageQuery = z.strictObject({ campaign: id("campaign"), lander: id("lander").optional() });

/** What /dt.js sends: the page URL and referrer, and Meta's browser IDs from the page's cookies. */
export const beaconQuery = imageQuery.extend({
  url: parsedPageUrl,
  referrer: z.union([z.literal(""), pageUrl]).optional(),
  fbp: z.string().max(MAX_AD_CLICK_ID_LENGTH).optional(),
  fbc: z.string().max(MAX_AD_CLICK_ID_LENGTH).optional(),
});

export interface DirectInput {
  campaign: number;
  lander?: number;
  /** The lander page's URL: its query string holds the incoming parameters. */
  url: URL | null;
  /** The page's referrer; undefined: the request's Referer header, as GET /c/:id reads it. */
  referrer?: string;
  fbp?: string;
  fbc?: string;
}

/**
 * A visit of a lander page that carries the tracking script or image: built and recorded as GET
 * /c/:id does (click/visit.ts), with the page URL's query as the incoming parameters. A string:
 * why there is none (unknown or archived campaign, a lander not in it, nowhere to route).
 */
export async function directVisit(
  request: Request,
  env: Env,
  ctx: WaitUntilContext,
  input: DirectInput,
): Promise<NewVisit | string> {
  const config = getConfig(env);
  const secret = requireSecret(config, "CLICKID_SECRET");
  const found = await cachedCampaignForClick(getDb(env.DB), input.campaign, config.campaignCacheTtlMs);
  if (!found || found.campaign.archived) return "Campaign not found";
  let onLander: LanderTarget | undefined;
  if (input.lander !== undefined) {
    const lander = found.flow?.landers.get(input.lander);
    if (!lander || lander.archived) return `Lander ${input.lander} is not a live lander of campaign ${input.campaign}`;
    const { archived: _, ...target } = lander;
    onLander = target;
  }
  const attributes = visitAttributes(request);
  if (input.referrer !== undefined) attributes.referrerDomain = referrerDomain(input.referrer);
  const query = pageQuery(input.url);
  if (input.fbp) query.fbp = input.fbp;
  if (input.fbc) query.fbc = input.fbc;
  const ip = request.headers.get("cf-connecting-ip") ?? undefined;
  const visit = await newVisit(secret, found, { query, attributes, now: Date.now(), onLander, ip });
  if (!visit) return "Campaign has no active offer";
  // HEAD (a prefetch or link check) is no visit; otherwise recorded before answering only in the
  // "no click lost" mode, as at GET /c/:id.
  if (request.method !== "HEAD") await recordVisit(env, ctx, visit.record);
  return visit;
}

/** The first value of each parameter of the page URL's query string (as GET /c/:id reads its own). */
function pageQuery(url: URL | null): Record<string, string> {
  // No prototype: a parameter named "toString" or "__proto__" is just a parameter.
  const query: Record<string, string> = Object.create(null);
  for (const [k, v] of url?.searchParams ?? []) if (!(k in query)) query[k] = v;
  return query;
}
