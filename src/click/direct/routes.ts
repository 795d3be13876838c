import { Hono } from "hono";
import { cors } from "hono/cors";
import { etag } from "hono/etag";
import { GIF, GIF_HEADERS } from "../../ingest/pixel";
import type { AppEnv } from "../../lib/env";
import { errorBody } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { visitCookies } from "../visit";
// Bundled as text by the [[rules]] in wrangler.toml: the worker serves its own file, no build step.
import script from "./dt.client.js";
import { beaconQuery, directVisit, imageQuery } from "./visit";

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
  .use("/dt/visit", cors({ origin: "*" }))
  .get("/dt/visit", validate("query", beaconQuery), async (c) => {
    c.header("Cache-Control", "no-store");
    const visit = await directVisit(c, c.req.valid("query"));
    if (typeof visit === "string") return c.json(errorBody("not_found", visit), 404);
    return c.json({ clickId: visit.clickId, campaignId: visit.record.campaignId, landerId: visit.record.landerId });
  })
  .get("/dt/visit.gif", async (c) => {
    const query = imageQuery.safeParse(c.req.query());
    if (!query.success) return c.body(GIF, 400, GIF_HEADERS);
    // The page that shows the image: its URL (and so its query string) is the Referer.
    const visit = await directVisit(c, { ...query.data, url: c.req.header("referer") ?? null });
    if (typeof visit === "string") return c.body(GIF, 404, GIF_HEADERS);
    // The tracker's own click-ID cookie, as GET /c/:id sets it: the lander's /click links work.
    for (const cookie of visitCookies(visit)) c.header("Set-Cookie", cookie, { append: true });
    return c.body(GIF, 200, GIF_HEADERS);
  });
