import type { MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { timingSafeEqual } from "hono/utils/buffer";
import type { AppEnv } from "./env";
import { errorBody } from "./errors";

/** True when `candidate` equals the configured admin token; always false when none is set. */
export async function isAdminToken(env: Env, candidate: string | undefined): Promise<boolean> {
  const expected = env.ADMIN_TOKEN;
  if (!expected || !candidate) return false;
  // Hono's timingSafeEqual hashes both sides first, so length differences leak nothing either.
  return timingSafeEqual(expected, candidate);
}

/** `Authorization: Bearer <ADMIN_TOKEN>` for /api/*; closed when ADMIN_TOKEN is unset. */
export function adminBearerAuth(): MiddlewareHandler<AppEnv> {
  return bearerAuth({
    verifyToken: (token, c) => isAdminToken(c.env, token),
    noAuthenticationHeader: {
      message: errorBody("unauthorized", "Missing Authorization: Bearer <ADMIN_TOKEN> header"),
    },
    invalidAuthenticationHeader: { message: errorBody("invalid_parameter", "Malformed Authorization header") },
    invalidToken: { message: errorBody("unauthorized", "Invalid admin token") },
  });
}
