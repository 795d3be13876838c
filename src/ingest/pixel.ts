import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { CLICK_COOKIE } from "../lib/clickid";
import type { AppEnv } from "../lib/env";
import { registerHit } from "./hit";

// The smallest transparent 1x1 GIF (43 bytes).
const GIF = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (ch) => ch.charCodeAt(0));

/**
 * Conversion pixel (SPEC §3): always a 1x1 GIF, whatever happened. The `cid` parameter wins
 * over the click cookie when both are present. Postback protection does not apply (browsers
 * cannot hold a secret), so the pixel is only as trustworthy as the visitor's browser.
 */
export const pixelRoutes = new Hono<AppEnv>().get("/pixel.gif", async (c) => {
  const query = c.req.query();
  const cookie = getCookie(c, CLICK_COOKIE);
  // The log shows where the click ID came from.
  const params = !query.cid && cookie ? { ...query, [CLICK_COOKIE]: cookie } : query;
  try {
    await registerHit(c.env, c.var.db, (p) => c.executionCtx.waitUntil(p), {
      source: "pixel",
      params,
      clickId: query.cid || cookie || "",
      ip: c.req.header("cf-connecting-ip") ?? null,
      protect: false,
    });
  } catch (err) {
    console.error("pixel hit failed", err);
  }
  return c.body(GIF, 200, { "Content-Type": "image/gif", "Cache-Control": "no-store, private" });
});
