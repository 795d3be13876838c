import { AsyncLocalStorage } from "node:async_hooks";
import type { MiddlewareHandler } from "hono";

// The id of the request being served, for log lines written anywhere below it (waitUntil work too).
const current = new AsyncLocalStorage<string>();

/** Cloudflare's Ray ID names the request in Cloudflare's own logs too; a new UUID where there is none. */
const idOf = (request: Request) => request.headers.get("cf-ray") ?? crypto.randomUUID();

/** Serves a request outside the router under its id, as the middleware below does for the rest. */
export function withRequestId<T>(request: Request, serve: (id: string) => T): T {
  const id = idOf(request);
  return current.run(id, serve, id);
}

/**
 * Gives each request an id (`c.var.requestId`), puts it on every log line written while serving it
 * (lib/log.ts) and into every JSON error body (`requestId`), so a user can point at one failure.
 */
export const requestIds: MiddlewareHandler<{ Variables: { requestId: string } }> = async function requestIds(c, next) {
  const id = idOf(c.req.raw);
  c.set("requestId", id);
  await current.run(id, next);
  const res = c.res;
  if (res.status < 400 || !res.headers.get("content-type")?.startsWith("application/json")) return;
  const body: unknown = await res
    .clone()
    .json()
    .catch(() => null);
  if (!body || typeof body !== "object" || Array.isArray(body) || !("code" in body)) return;
  const headers = new Headers(res.headers);
  headers.delete("content-length");
  c.res = undefined;
  c.res = new Response(JSON.stringify({ ...body, requestId: id }), { status: res.status, headers });
};

/** The id of the request being served, or undefined outside one (queue consumers, the cron). */
export const currentRequestId = (): string | undefined => current.getStore();
