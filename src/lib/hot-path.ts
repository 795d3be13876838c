import { errorAnswer, errorBody } from "./errors";
import { logError } from "./log";
import { withRequestId } from "./request-id";

/**
 * Serves one of the paths index.ts answers before the router (the click, the GET postback) as
 * the router would: under the request's id, a thrown error answered in the JSON envelope with
 * that id (a known one with its status, anything else a 500 and a log line), HEAD without a body.
 */
export function serveHotPath(request: Request, serve: (requestId: string) => Promise<Response>): Promise<Response> {
  return withRequestId(request, async (requestId) => {
    let answer: Response;
    try {
      answer = await serve(requestId);
    } catch (err) {
      const known = errorAnswer(err);
      if (!known) logError("unhandled error", request.method, new URL(request.url).pathname, err);
      const { status, body, headers } = known ?? { status: 500, body: errorBody("internal", "Internal error") };
      answer = Response.json({ ...body, requestId }, { status, headers: { "Cache-Control": "no-store", ...headers } });
    }
    return request.method === "HEAD" && answer.body ? new Response(null, answer) : answer;
  });
}
