import { errorAnswer, errorBody } from "./errors";
import { logError } from "./log";
import { withRequestId } from "./request-id";

/**
 * The path of a GET or HEAD request, without parsing the whole URL; null for other methods. The
 * paths most of the traffic takes (the click, the GET postback, the direct-tracking beacon) are
 * served before the router with it: Hono's context, middleware chain and response helpers were a
 * fifth of a click's CPU (docs/performance.md).
 */
export function getOrHeadPath(request: Request): string | null {
  const method = request.method;
  if (method !== "GET" && method !== "HEAD") return null;
  const url = request.url;
  const start = url.indexOf("/", url.indexOf("://") + 3);
  if (start === -1) return "/";
  let end = url.length;
  for (const stop of ["?", "#"]) {
    const at = url.indexOf(stop, start);
    if (at !== -1 && at < end) end = at;
  }
  return url.slice(start, end);
}

/**
 * Serves one of the paths index.ts answers before the router (the click, the GET postback) as
 * the router would: under the request's id, a thrown error answered in the JSON envelope with
 * that id (a known one with its status, anything else a 500 and a log line), HEAD without a body.
 */
export function serveHotPath(
  request: Request,
  serve: (requestId: string) => Promise<Response>,
  /** Headers an error answer carries too (the beacon's CORS header: a failure is readable). */
  errorHeaders: Record<string, string> = {},
): Promise<Response> {
  return withRequestId(request, async (requestId) => {
    let answer: Response;
    try {
      answer = await serve(requestId);
    } catch (err) {
      const known = errorAnswer(err);
      if (!known) logError("unhandled error", request.method, new URL(request.url).pathname, err);
      const { status, body, headers } = known ?? { status: 500, body: errorBody("internal", "Internal error") };
      answer = Response.json(
        { ...body, requestId },
        { status, headers: { "Cache-Control": "no-store", ...errorHeaders, ...headers } },
      );
    }
    return request.method === "HEAD" && answer.body ? new Response(null, answer) : answer;
  });
}
