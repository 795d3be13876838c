import type { MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { timingSafeEqual } from "hono/utils/buffer";
import { getConfig, requireSecret } from "./config";
import type { AppEnv } from "./env";
import { ApiError, errorBody } from "./errors";
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
 * Checks a presented admin token and counts it against the address's failed logins (SPEC §16):
 * refused with 429 and Retry-After once the address has 10 failures in 15 minutes, even when
 * this token is right. Returns whether the token is right.
 */
export async function checkAdminLogin(env: Env, ip: string | undefined, token: string | undefined): Promise<boolean> {
  const ok = await isAdminToken(env, token);
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
  return ok;
}

/**
 * `Authorization: Bearer <ADMIN_TOKEN>` for /api/*; 503 naming ADMIN_TOKEN when it is unset;
 * every presented token counts against the address's failed logins (checkAdminLogin).
 */
export function adminBearerAuth(): MiddlewareHandler<AppEnv> {
  const bearer: MiddlewareHandler<AppEnv> = bearerAuth({
    verifyToken: (token, c) => checkAdminLogin(c.env as Env, c.req.header("cf-connecting-ip"), token),
    noAuthenticationHeader: {
      message: errorBody("unauthorized", "Missing Authorization: Bearer <ADMIN_TOKEN> header"),
    },
    invalidAuthenticationHeader: { message: errorBody("invalid_parameter", "Malformed Authorization header") },
    invalidToken: { message: errorBody("unauthorized", "Invalid admin token") },
  });
  return async function adminBearerAuth(c, next) {
    // Closed, and saying why: no token can be right while none is configured.
    requireSecret(c.var.config, "ADMIN_TOKEN");
    return bearer(c, next);
  };
}
