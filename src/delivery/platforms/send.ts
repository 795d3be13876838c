import type { ConversionApi } from "../../model/conversion-api";
import type { CallResult } from "../call";
import { forgetGoogleToken, googleAccessToken } from "./google-token";
import { field, judge, type PlatformAnswer, post, str } from "./http";
import {
  googleRetractionRequest,
  googleUploadRequest,
  metaRequest,
  type PlatformEvent,
  type PlatformRequest,
  tiktokRequest,
} from "./requests";

type GoogleApi = Extract<ConversionApi, { type: "google" }>;

/** What a call came to, and the URL to show for it. */
export interface Sent {
  shownUrl: string | null;
  result: CallResult;
}

const delivered = (a: PlatformAnswer): CallResult => ({ outcome: "delivered", httpStatus: a.status });

/** Meta's and Google's error envelope: {"error":{"message":…}}. */
function errorMessage(body: unknown): string | null {
  return str(field(body, "error", "error_user_msg")) ?? str(field(body, "error", "message")) ?? str(body);
}

async function call(request: PlatformRequest, check: (a: PlatformAnswer) => CallResult): Promise<Sent> {
  const answer = await post(request.url, request.headers, request.body);
  return { shownUrl: request.shownUrl, result: "outcome" in answer ? answer : check(answer) };
}

/** TikTok answers 200 even for a refused event: its `code` must be 0. */
function tiktokVerdict(a: PlatformAnswer): CallResult {
  return judge(a, str(field(a.body, "message")), () => {
    const code = field(a.body, "code");
    if (code === 0) return delivered(a);
    return {
      outcome: "failed",
      httpStatus: a.status,
      error: `TikTok code ${String(code)}: ${str(field(a.body, "message")) ?? "no message"}`.slice(0, 500),
    };
  });
}

/** Google with partialFailure answers 200 for a refused conversion, naming it in partialFailureError. */
function googleVerdict(a: PlatformAnswer): CallResult {
  return judge(a, errorMessage(a.body), () => {
    const partial = field(a.body, "partialFailureError");
    if (!partial) return delivered(a);
    return {
      outcome: "failed",
      httpStatus: a.status,
      error: `partial failure: ${str(field(partial, "message")) ?? JSON.stringify(partial)}`.slice(0, 500),
    };
  });
}

async function withGoogleToken(api: GoogleApi, build: (token: string) => PlatformRequest): Promise<Sent> {
  const token = await googleAccessToken(api);
  if (typeof token !== "string") return { shownUrl: null, result: token };
  const sent = await call(build(token), googleVerdict);
  // A cached token revoked before its time: the retry asks for a new one.
  if (sent.result.httpStatus === 401) {
    await forgetGoogleToken(api);
    return {
      ...sent,
      result: {
        outcome: "retry",
        httpStatus: 401,
        error: sent.result.outcome === "delivered" ? "HTTP 401" : sent.result.error,
        retryAfterS: null,
      },
    };
  }
  return sent;
}

/** Sends one approved conversion to the platform; `validateOnly` (Google) checks without recording. */
export function sendEvent(
  api: ConversionApi,
  event: PlatformEvent,
  opts: { validateOnly?: boolean } = {},
): Promise<Sent> {
  if (api.type === "meta")
    return call(metaRequest(api, event), (a) => judge(a, errorMessage(a.body), () => delivered(a)));
  if (api.type === "tiktok") return call(tiktokRequest(api, event), tiktokVerdict);
  return withGoogleToken(api, (token) => googleUploadRequest(api, token, event, opts.validateOnly));
}

/** Withdraws an uploaded conversion from Google Ads (the same orderId). */
export function sendRetraction(api: GoogleApi, orderId: string, adjustedAt: number): Promise<Sent> {
  return withGoogleToken(api, (token) => googleRetractionRequest(api, token, orderId, adjustedAt));
}
