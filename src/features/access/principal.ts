import type { Context, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { countLogin, isAdminToken } from "../../lib/auth";
import { requireSecret } from "../../lib/config";
import type { AppEnv, Principal } from "../../lib/env";
import { errorBody } from "../../lib/errors";
import { logError } from "../../lib/log";
import { findLiveKey, touchKey } from "../api-keys/queries";

export type { Principal } from "../../lib/env";

export const OWNER: Principal = { kind: "owner", id: null, role: "admin", label: "owner" };

/** The owner's token or a live API key; null for anything else. Records the key's last use. */
async function bearerPrincipal(c: Context<AppEnv>, token: string): Promise<Principal | null> {
  if (await isAdminToken(c.env, token)) return OWNER;
  const key = await findLiveKey(c.var.db, token);
  if (!key) return null;
  const touch = touchKey(c.var.db, key, Date.now())?.catch((err) => logError("key last use not recorded", String(err)));
  // After the answer: a failed last-use write must not fail the request it describes. Without
  // an execution context (an app driven by app.request in a test) the write simply runs on.
  if (touch) afterAnswer(c, touch);
  return { kind: "key", id: key.id, role: key.role, label: key.name };
}

function afterAnswer(c: Context, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // Hono throws when the app runs without an ExecutionContext.
  }
}

/**
 * `Authorization: Bearer <ADMIN_TOKEN or API key>` for /api/* (and whatever else wants to be
 * authenticated the same way): sets `principal`; 401 without a valid token, 503 naming
 * ADMIN_TOKEN when it is unset (the admin side is closed then, keys included). Every presented
 * token counts against the address's failed logins. What the principal may do is decided
 * afterwards, by `authorize()` (access/authorize.ts).
 */
export function requireAuth(): MiddlewareHandler<AppEnv> {
  const bearer: MiddlewareHandler<AppEnv> = bearerAuth({
    verifyToken: async (token, c) => {
      const principal = await bearerPrincipal(c as Context<AppEnv>, token);
      await countLogin(c.env as Env, c.req.header("cf-connecting-ip"), principal !== null);
      if (principal) c.set("principal", principal);
      return principal !== null;
    },
    noAuthenticationHeader: {
      message: errorBody("unauthorized", "Missing Authorization: Bearer <ADMIN_TOKEN or API key> header"),
    },
    invalidAuthenticationHeader: { message: errorBody("invalid_parameter", "Malformed Authorization header") },
    invalidToken: { message: errorBody("unauthorized", "Invalid admin token or API key") },
  });
  return async function requireAuth(c, next) {
    // Closed, and saying why: no token can be right while none is configured.
    requireSecret(c.var.config, "ADMIN_TOKEN");
    return bearer(c, next);
  };
}
