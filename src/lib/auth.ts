import { timingSafeEqual } from "hono/utils/buffer";
import { getConfig } from "./config";
import { ApiError } from "./errors";
import { logError } from "./log";
import { type AttemptAnswer, loginAttempt } from "./login-throttle";

/** True when `candidate` equals the configured admin token; always false when none is set. */
export async function isAdminToken(env: Env, candidate: string | undefined): Promise<boolean> {
  const expected = getConfig(env).adminToken;
  if (!expected || !candidate) return false;
  // Hono's timingSafeEqual hashes both sides first, so length differences leak nothing either.
  return timingSafeEqual(expected, candidate);
}

/**
 * Checks a presented admin token and counts it against the address's failed logins (docs/admin-pages.md):
 * refused with 429 and Retry-After once the address has 10 failures in 15 minutes, even when
 * this token is right. Returns whether the token is right.
 */
export async function checkAdminLogin(env: Env, ip: string | undefined, token: string | undefined): Promise<boolean> {
  const ok = await isAdminToken(env, token);
  await countLogin(env, ip, ok);
  return ok;
}

/**
 * Counts one login attempt (admin token, API key or user password) against the address:
 * throws a 429 with Retry-After once it has 10 failures in 15 minutes, even when this attempt
 * is right, and a 503 when the counter cannot be reached.
 */
export async function countLogin(env: Env, ip: string | undefined, ok: boolean): Promise<void> {
  let verdict: AttemptAnswer;
  try {
    verdict = await loginAttempt(env, ip, ok);
  } catch (err) {
    // Without the counter a guess could not be counted: refuse rather than let it through.
    logError("login throttle unavailable", String(err));
    throw new ApiError("unavailable", "Login is unavailable right now, retry later");
  }
  if (!verdict.allowed) {
    const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
    throw new ApiError(
      "rate_limited",
      `Too many failed logins from this address: try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
      undefined,
      { "Retry-After": String(verdict.retryAfterSeconds) },
    );
  }
}
