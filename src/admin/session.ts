import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { getConfig } from "../lib/config";
import type { AppEnv } from "../lib/env";

/** The admin pages' session: a signed cookie holding its expiry time, nothing else. */
export const SESSION_COOKIE = "ct_admin";
export const SESSION_HOURS = 12;
const COOKIE_PATH = "/admin";

const derived = new Map<string, Promise<ArrayBuffer>>();

/**
 * The signing key is derived from ADMIN_TOKEN (HMAC with a fixed label), so no extra secret is
 * needed and rotating the token ends every session at once.
 */
function sessionKey(env: Env): Promise<ArrayBuffer> | null {
  const token = getConfig(env).adminToken;
  if (!token) return null;
  let key = derived.get(token);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", new TextEncoder().encode(token), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      .then((k) => crypto.subtle.sign("HMAC", k, new TextEncoder().encode("clicktrail admin session v1")));
    derived.set(token, key);
  }
  return key;
}

const isHttps = (c: Context) => new URL(c.req.url).protocol === "https:";

export async function startSession(c: Context<AppEnv>): Promise<void> {
  const key = sessionKey(c.env);
  if (!key) throw new Error("startSession without ADMIN_TOKEN");
  const expires = Date.now() + SESSION_HOURS * 3600_000;
  await setSignedCookie(c, SESSION_COOKIE, String(expires), await key, {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: "Strict",
    secure: isHttps(c),
    maxAge: SESSION_HOURS * 3600,
  });
}

export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure: isHttps(c) });
}

export async function hasSession(c: Context<AppEnv>): Promise<boolean> {
  const key = sessionKey(c.env);
  if (!key) return false;
  const value = await getSignedCookie(c, await key, SESSION_COOKIE);
  if (!value) return false; // missing, or the signature does not match
  const expires = Number(value);
  return Number.isFinite(expires) && expires > Date.now();
}

/** Pages behind it need a live session; without one the browser goes to the login page. */
export function requireSession(): MiddlewareHandler<AppEnv> {
  return async function requireSession(c, next) {
    if (await hasSession(c)) return next();
    const url = new URL(c.req.url);
    const back = c.req.method === "GET" ? `?next=${encodeURIComponent(url.pathname + url.search)}` : "";
    return c.redirect(`/admin/login${back}`, 303);
  };
}

/** Only local admin paths are followed after login (no open redirect through `next`). */
export function safeNext(next: string | undefined): string {
  return next && /^\/admin(\/[\w\-/.?=&%]*)?$/.test(next) && !next.startsWith("/admin//") ? next : "/admin/campaigns";
}
