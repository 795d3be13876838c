import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { CLICK_COOKIE } from "../lib/clickid";
import type { AppEnv } from "../lib/env";
import { logError } from "../lib/log";
import { registerHit } from "./hit";
import { decodeUrlencoded, rawQuery } from "./params";

// The smallest transparent 1x1 GIF (43 bytes).
export const GIF = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (ch) =>
  ch.charCodeAt(0),
);

export const GIF_HEADERS = { "Content-Type": "image/gif", "Cache-Control": "no-store, private" };

/**
 * Conversion pixel (docs/tracking.md): always a 1x1 GIF, whatever happened. Its parameters are decoded and
 * read like the postback's (aliases included); a click-ID parameter wins over the click cookie.
 * Postback protection does not apply (browsers cannot hold a secret), so the pixel is only as
 * trustworthy as the visitor's browser.
 */
export const pixelRoutes = new Hono<AppEnv>().get("/pixel.gif", async (c) => {
  // HEAD (a prefetch or link check) gets the same GIF and headers but registers nothing.
  if (c.req.method === "HEAD") return c.body(GIF, 200, GIF_HEADERS);
  try {
    await registerHit(c.env, c.var.db, (p) => c.executionCtx.waitUntil(p), {
      source: "pixel",
      decoded: decodeUrlencoded(rawQuery(c.req.url)),
      cookieClickId: getCookie(c, CLICK_COOKIE) || undefined,
      ip: c.req.header("cf-connecting-ip") ?? null,
      protect: false,
    });
  } catch (err) {
    logError("pixel hit failed", err);
  }
  return c.body(GIF, 200, GIF_HEADERS);
});
