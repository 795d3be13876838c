import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../lib/env";
import { mayReach } from "./authorize";

/**
 * Pages show only what the role may use, by the same access table that refuses the requests:
 * for an editor or viewer, every POST form whose target the role may not send is removed, and
 * every link to a page it may not open is dropped (menu entries wholly, links in the page keep
 * their text). So no page needs to know about roles; the 403 stays the real guard.
 */
export function hideWhatRoleCannot(): MiddlewareHandler<AppEnv> {
  return async function hideWhatRoleCannot(c, next) {
    await next();
    const role = c.get("principal")?.role;
    if (!role || role === "admin" || !c.res.headers.get("content-type")?.startsWith("text/html")) return;
    const here = new URL(c.req.url);
    const pathOf = (target: string | null) => {
      const url = URL.parse(target ?? "", here); // null for a malformed target: left alone
      return url && url.origin === here.origin && url.pathname.startsWith("/admin") ? url.pathname : null;
    };
    const refused = (method: string, target: string | null) => {
      const path = pathOf(target);
      return path !== null && !mayReach(role, method, path);
    };
    c.res = new HTMLRewriter()
      .on("form", {
        element(el) {
          if (el.getAttribute("method")?.toLowerCase() === "post" && refused("POST", el.getAttribute("action")))
            el.remove();
        },
      })
      .on("header a[href]", {
        element(el) {
          if (refused("GET", el.getAttribute("href"))) el.remove();
        },
      })
      .on("main a[href]", {
        element(el) {
          if (refused("GET", el.getAttribute("href"))) el.removeAndKeepContent();
        },
      })
      .transform(c.res);
  };
}
