import type { MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { timingSafeEqual } from "hono/utils/buffer";
import { getConfig, requireSecret } from "./config";
import type { AppEnv } from "./env";
import { errorBody } from "./errors";

/** True when `candidate` equals the configured admin token; always false when none is set. */
export async function isAdminToken(env: Env, candidate: string | undefined): Promise<boolean> {
  const expected = getConfig(env).adminToken;
  if (!expected || !candidate) return false;
  // Hono's timingSafeEqual hashes both sides first, so length differences leak nothing either.
  return timingSafeEqual(expected, candidate);
}

/** `Authorization: Bearer <ADMIN_TOKEN>` for /api/*; 503 naming ADMIN_TOKEN when it is unset. */
export function adminBearerAuth(): MiddlewareHandler<AppEnv> {
  const bearer: MiddlewareHandler<AppEnv> = bearerAuth({
    verifyToken: (token, c) => isAdminToken(c.env as Env, token),
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
