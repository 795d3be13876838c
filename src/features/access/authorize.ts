import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { findTargetHandler, isMiddleware } from "hono/utils/handler";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { mayUse, type Rule } from "./roles";
import { ACCESS } from "./table";

/** A registered route as the access table names it: "PATCH /api/offers/:id". */
export interface Endpoint {
  key: string;
  path: string;
}

/**
 * The route that will answer this request: the first matched handler that is not middleware,
 * as Hono runs them. Null when none matches (the not-found answer follows).
 */
export function endpointOf(c: Context): Endpoint | null {
  const method = c.req.method === "HEAD" ? "GET" : c.req.method;
  const route = matchedRoutes(c).find(
    (r) => (r.method === method || r.method === "ALL") && !isMiddleware(findTargetHandler(r.handler)),
  );
  return route ? { key: `${route.method} ${route.path}`, path: route.path } : null;
}

export const ruleOf = (key: string): Rule | undefined => (ACCESS as Record<string, Rule>)[key];

/**
 * Refuses with 403 `forbidden` what the principal's role may not do, by the access table. A
 * route missing from the table is refused to every user and key (deny by default; the test
 * that walks every route names it); only the owner passes it.
 */
export function authorize(): MiddlewareHandler<AppEnv> {
  return async function authorize(c, next) {
    const endpoint = endpointOf(c);
    if (!endpoint) return next();
    const principal = c.get("principal");
    const rule = ruleOf(endpoint.key);
    if (rule ? !mayUse(principal.role, rule) : principal.kind !== "owner")
      throw new ApiError("forbidden", `The ${principal.role} role may not ${describe(c.req.method)} here`);
    return next();
  };
}

const describe = (method: string) => (method === "GET" || method === "HEAD" ? "see this" : "make this change");

/** Route patterns as regular expressions, most specific first (static segments before `:params`). */
const PATTERNS = Object.entries(ACCESS as Record<string, Rule>)
  .map(([key, rule]) => {
    const [method, path] = key.split(" ") as [string, string];
    const source = path
      .split("/")
      .map((s) => (s.startsWith(":") ? "[^/]+" : s === "*" ? ".*" : s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    const loose = (path.match(/[:*]/g) ?? []).length;
    return { method, re: new RegExp(`^${source}/?$`), loose, rule };
  })
  .sort((a, b) => a.loose - b.loose);

/** Whether a link or form target (a path on this site) is open to the role; for hiding, not for enforcing. */
export function mayReach(role: Parameters<typeof mayUse>[0], method: string, path: string): boolean {
  const found = PATTERNS.find((p) => (p.method === method || p.method === "ALL") && p.re.test(path));
  return found ? mayUse(role, found.rule) : role === "admin";
}
