import { Hono } from "hono";
import { cors } from "hono/cors";
import { etag } from "hono/etag";
import { getQueryParams } from "hono/utils/url";
import { GIF, GIF_HEADERS } from "../../ingest/pixel";
import type { AppEnv } from "../../lib/env";
import { ApiError, validationError } from "../../lib/errors";
import { jsonAnswer } from "../../lib/hot-path";
import { visitCookies } from "../visit";
// Bundled as text by the [[rules]] in wrangler.toml: the worker serves its own file, no build step.
import script from "./dt.client.js";
import { beaconQuery, directVisit, imageQuery } from "./visit";

/** Any origin may read the beacon's answers, errors included (serveHotPath's error headers). */
export const BEACON_CORS = { "Access-Control-Allow-Origin": "*" };

/**
 * GET /dt/visit, the beacon of every lander view: served before the router, as the click is
 * (index.ts, lib/hot-path.ts: request id, error envelope). Its parameters are checked by the
 * same schema and named in a 400 as everywhere; any origin may read the answer, without credentials.
 */
export async function serveBeacon(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  // A repeated parameter is a list, as the router's validators see it: refused by the schema.
  const params = getQueryParams(request.url) as Record<string, string[]>;
  // No prototype: a parameter named "__proto__" stays a parameter (the schema refuses it).
  const input: Record<string, string | string[]> = Object.create(null);
  for (const k in params) {
    const values = params[k]!;
    input[k] = values.length === 1 ? values[0]! : values;
  }
  const query = beaconQuery.safeParse(input);
  if (!query.success) throw validationError(query.error, "Invalid query", "query");
  const visit = await directVisit(request, env, ctx, query.data);
  // Thrown, as the 400 above: answered with BEACON_CORS by lib/hot-path.ts.
  if (typeof visit === "string") throw new ApiError("not_found", visit);
  const { clickId, record } = visit;
  return jsonAnswer({ clickId, campaignId: record.campaignId, landerId: record.landerId }, 200, BEACON_CORS);
}

/**
 * Tracking without a redirect (docs/direct-tracking.md): the script a lander loads, the visit it
 * asks for, and the image for pages without JavaScript. Landers live on any host, so the beacon
 * answers every origin, without credentials.
 */
export const directRoutes = new Hono<AppEnv>()
  .get("/dt.js", etag(), (c) =>
    c.body(script, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=3600",
      "Access-Control-Allow-Origin": "*",
    }),
  )
  // GET /dt/visit itself is served before the router (serveBeacon); this answers its preflight.
  .use("/dt/visit", cors({ origin: "*" }))
  .get("/dt/visit.gif", async (c) => {
    const query = imageQuery.safeParse(c.req.query());
    if (!query.success) return c.body(GIF, 400, GIF_HEADERS);
    // The page that shows the image: its URL (and so its query string) is the Referer.
    const referer = c.req.header("referer");
    const input = { ...query.data, url: referer === undefined ? null : URL.parse(referer) };
    const visit = await directVisit(c.req.raw, c.env, c.executionCtx, input);
    if (typeof visit === "string") return c.body(GIF, 404, GIF_HEADERS);
    // The tracker's own click-ID cookie, as GET /c/:id sets it: the lander's /click links work.
    for (const cookie of visitCookies(visit)) c.header("Set-Cookie", cookie, { append: true });
    return c.body(GIF, 200, GIF_HEADERS);
  });
