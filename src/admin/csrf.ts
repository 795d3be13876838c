import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery: every state-changing request under /admin, whatever its content
 * type (JSON and text/plain included, which a page elsewhere can send with the cookie too), must
 * say it comes from this origin: an `Origin` equal to the tracker's, or, where a browser sends no
 * Origin, `Sec-Fetch-Site: same-origin`. A request saying neither is refused as well (every
 * browser in use sends one of them on a POST); the session cookie is SameSite=Strict besides.
 */
export function sameOriginOnly(): MiddlewareHandler {
  return async function sameOriginOnly(c, next) {
    if (SAFE.has(c.req.method)) return next();
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    const ok = origin !== undefined ? origin === new URL(c.req.url).origin : site === "same-origin";
    if (!ok || (site !== undefined && site !== "same-origin"))
      throw new HTTPException(403, { message: "Forbidden: this request did not come from the tracker's own pages" });
    return next();
  };
}
