import type { ConversionApi } from "../../model/conversion-api";
import type { CallResult } from "../call";
import { field, judge, post, str } from "./http";

type GoogleApi = Extract<ConversionApi, { type: "google" }>;

/** A token this close to its expiry is not used: the upload after it must still be in time. */
const MARGIN_MS = 60_000;

/**
 * Access tokens by (token endpoint, client, refresh token), kept in the isolate until they expire.
 * Not in D1: an access token is a secret that would need sealing too, a D1 write per hour per
 * source buys little (a new isolate pays one token call, and Google's token endpoint is there
 * for exactly that), and a token that never leaves memory cannot leak from a backup.
 */
const tokens = new Map<string, { token: string; expiresAt: number }>();

async function cacheKey(api: GoogleApi): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`${api.clientId}\n${api.refreshToken}`),
  );
  return `${tokenUrl(api)} ${btoa(String.fromCharCode(...new Uint8Array(digest)))}`;
}

const tokenUrl = (api: GoogleApi) => `${api.endpoint ?? "https://oauth2.googleapis.com"}/token`;

/**
 * An access token for `api`: the cached one while it has a minute left, else a new one from the
 * refresh token (grant_type=refresh_token, form body). A refusal is the failed or retry
 * CallResult with Google's error_description.
 */
export async function googleAccessToken(api: GoogleApi, now = Date.now()): Promise<string | CallResult> {
  const key = await cacheKey(api);
  const cached = tokens.get(key);
  if (cached && cached.expiresAt - MARGIN_MS > now) return cached.token;
  const form = new URLSearchParams({
    grant_type: "refresh_token",
    client_id: api.clientId,
    client_secret: api.clientSecret,
    refresh_token: api.refreshToken,
  });
  const answer = await post(tokenUrl(api), { "Content-Type": "application/x-www-form-urlencoded" }, form.toString());
  if ("outcome" in answer) return { ...answer, error: `token: ${answer.error}` };
  const message = str(field(answer.body, "error_description")) ?? str(field(answer.body, "error"));
  let token: string | null = null;
  const verdict = judge(answer, message && `token refused: ${message}`, () => {
    token = str(field(answer.body, "access_token"));
    const expiresIn = Number(field(answer.body, "expires_in"));
    if (!token || !Number.isFinite(expiresIn))
      return { outcome: "failed", httpStatus: answer.status, error: "token answer without access_token or expires_in" };
    tokens.set(key, { token, expiresAt: now + expiresIn * 1000 });
    return { outcome: "delivered", httpStatus: answer.status };
  });
  return verdict.outcome === "delivered" && token ? token : verdict;
}

/** After a 401 on a cached token (revoked early): the next delivery asks for a new one. */
export async function forgetGoogleToken(api: GoogleApi): Promise<void> {
  tokens.delete(await cacheKey(api));
}
