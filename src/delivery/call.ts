import { version } from "../../package.json";
import { privateHostProblem } from "../lib/public-host";

export const USER_AGENT = `clicktrail/${version} (+source postback)`;
/** The whole call must answer within this. */
export const CALL_TIMEOUT_MS = 10_000;

/**
 * What one call of a postback URL came to. `retry`: network error, timeout, 429 or 5xx (the
 * network may take it later); `failed`: any other answer, which a retry would not change.
 */
export type CallResult =
  | { outcome: "delivered"; httpStatus: number }
  | { outcome: "retry"; httpStatus: number | null; error: string; retryAfterS: number | null }
  | { outcome: "failed"; httpStatus: number | null; error: string };

/**
 * GET (POST when given a JSON body) with the tracker's User-Agent. A redirect is never followed: it is a failure naming where
 * it pointed, so the worker never calls a host that neither the admin nor the network's own
 * postback URL named (a redirect to an internal address is how such calls get abused).
 * A URL whose host is private or loopback (see lib/public-host.ts) is not called at all.
 */
export async function callPostback(url: string, json?: string): Promise<CallResult> {
  const refused = privateHostProblem(url);
  if (refused) return { outcome: "failed", httpStatus: null, error: `not called: the URL's host ${refused}` };
  const signal = AbortSignal.timeout(CALL_TIMEOUT_MS);
  let res: Response;
  try {
    // With a JSON body (a rule's notify webhook): POST it.
    const headers = { "User-Agent": USER_AGENT, ...(json !== undefined && { "Content-Type": "application/json" }) };
    res = await fetch(url, {
      method: json === undefined ? "GET" : "POST",
      body: json,
      redirect: "manual",
      signal,
      headers,
    });
  } catch (err) {
    const error = signal.aborted ? `no answer within ${CALL_TIMEOUT_MS / 1000} s` : `network error: ${String(err)}`;
    return { outcome: "retry", httpStatus: null, error: error.slice(0, 500), retryAfterS: null };
  }
  // The body is never read: free the connection.
  await res.body?.cancel().catch(() => {});
  const status = res.status;
  if (status >= 200 && status < 300) return { outcome: "delivered", httpStatus: status };
  if (status >= 300 && status < 400) {
    const to = res.headers.get("location");
    return {
      outcome: "failed",
      httpStatus: status,
      error: `redirect${to ? ` to ${to.slice(0, 300)}` : ""} not followed`,
    };
  }
  if (status === 429 || status >= 500)
    return { outcome: "retry", httpStatus: status, error: `HTTP ${status}`, retryAfterS: retryAfter(res) };
  return { outcome: "failed", httpStatus: status, error: `HTTP ${status}` };
}

/** Retry-After in seconds (its delay form; a date is ignored). */
function retryAfter(res: Response): number | null {
  const value = res.headers.get("retry-after");
  return value && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : null;
}
