import { CALL_TIMEOUT_MS, type CallResult, USER_AGENT } from "../call";

/** A platform's answer: status and parsed JSON body (null when it was not JSON). */
export interface PlatformAnswer {
  status: number;
  body: unknown;
  retryAfterS: number | null;
}

/**
 * POSTs to a platform. Redirects are never followed (a 3xx is a failure: a platform API does
 * not redirect, a proxy that does is misconfigured). A network error or timeout is the retry
 * CallResult; anything that answered is the PlatformAnswer for the platform's own judge.
 */
export async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<PlatformAnswer | Extract<CallResult, { outcome: "retry" }>> {
  const signal = AbortSignal.timeout(CALL_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      redirect: "manual",
      signal,
      headers: { "User-Agent": USER_AGENT, ...headers },
      body,
    });
  } catch (err) {
    const error = signal.aborted ? `no answer within ${CALL_TIMEOUT_MS / 1000} s` : `network error: ${String(err)}`;
    return { outcome: "retry", httpStatus: null, error: error.slice(0, 500), retryAfterS: null };
  }
  const text = await res.text().catch(() => "");
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text.slice(0, 300) || null;
  }
  const retryAfter = res.headers.get("retry-after")?.trim();
  return {
    status: res.status,
    body: parsed,
    retryAfterS: retryAfter && /^\d{1,9}$/.test(retryAfter) ? Number(retryAfter) : null,
  };
}

/**
 * The common verdict on an HTTP status: 2xx goes to the platform's own check (`ok`), a 3xx is
 * failed, 429 and 5xx are retried, any other 4xx is failed with the platform's `message`.
 */
export function judge(answer: PlatformAnswer, message: string | null, ok: () => CallResult): CallResult {
  const { status } = answer;
  const error = (message ? `HTTP ${status}: ${message}` : `HTTP ${status}`).slice(0, 500);
  if (status >= 200 && status < 300) return ok();
  if (status >= 300 && status < 400)
    return { outcome: "failed", httpStatus: status, error: `${error} (redirect not followed)` };
  if (status === 429 || status >= 500)
    return { outcome: "retry", httpStatus: status, error, retryAfterS: answer.retryAfterS };
  return { outcome: "failed", httpStatus: status, error };
}

/** A field of a JSON object, or undefined. */
export function field(body: unknown, ...path: string[]): unknown {
  let v = body;
  for (const k of path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

export const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
