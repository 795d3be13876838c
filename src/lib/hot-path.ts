import { getPath } from "hono/utils/url";
import { errorAnswer, errorBody } from "./errors";
import { logError } from "./log";
import { withRequestId } from "./request-id";

/**
 * The path of a GET or HEAD request as the router reads it (Hono's own `getPath`: no URL parse,
 * percent-escapes decoded the same way); null for other methods. The paths most of the traffic
 * takes (the click, the GET postback, the direct-tracking beacon) are served before the router
 * with it: Hono's context, middleware chain and response helpers were a fifth of a click's CPU
 * (docs/performance.md).
 */
export function getOrHeadPath(request: Request): string | null {
  const method = request.method;
  return method === "GET" || method === "HEAD" ? getPath(request) : null;
}

/**
 * A JSON answer of the hot paths, never cached: built on a `Headers` set one by one and
 * `JSON.stringify`, which workerd turns into a response faster than `Response.json` or a
 * `Headers` made from an object (docs/performance.md).
 */
export function jsonAnswer(body: unknown, status = 200, extraHeaders: Record<string, string> = {}): Response {
  const headers = new Headers();
  headers.set("Content-Type", "application/json");
  headers.set("Cache-Control", "no-store");
  for (const name in extraHeaders) headers.set(name, extraHeaders[name]!);
  return new Response(JSON.stringify(body), { status, headers });
}

/**
 * Serves one of the paths index.ts answers before the router as the router would: under the
 * request's id, a thrown error answered in the JSON envelope with that id and `Cache-Control:
 * no-store` (a known one with its status, anything else a 500 and a log line), HEAD without a body.
 */
export function serveHotPath(
  request: Request,
  ctx: ExecutionContext | undefined,
  serve: (ctx: ExecutionContext) => Promise<Response>,
  /** Headers an error answer carries too (the beacon's CORS header: a failure is readable). */
  errorHeaders: Record<string, string> = {},
): Promise<Response> {
  return withRequestId(request, async (requestId) => {
    let answer: Response;
    try {
      // Each of them hands work to waitUntil (the visit's batch, the postback log entry).
      if (!ctx) throw new Error("this path needs the ExecutionContext (its writes run under waitUntil)");
      answer = await serve(ctx);
    } catch (err) {
      const known = errorAnswer(err);
      if (!known) logError("unhandled error", request.method, getPath(request), err);
      const { status, body, headers } = known ?? { status: 500, body: errorBody("internal", "Internal error") };
      answer = jsonAnswer({ ...body, requestId }, status, { ...errorHeaders, ...headers });
    }
    return request.method === "HEAD" && answer.body ? new Response(null, answer) : answer;
  });
}
