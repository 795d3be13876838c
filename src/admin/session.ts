import { eq, lt } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { adminSessions, users } from "../db/schema";
import { OWNER, type Principal } from "../features/access/principal";
import { getConfig } from "../lib/config";
import type { AppEnv } from "../lib/env";

/**
 * The admin pages' session: a signed cookie holding a random session id, and a D1 row per
 * session. The row is what counts: Log out deletes it (a copied cookie dies with it), and a
 * session ends SESSION_HOURS after the row was written, whatever the cookie claims. One indexed
 * D1 read per admin page.
 */
export const SESSION_COOKIE = "ct_admin";
export const SESSION_HOURS = 12;
const SESSION_MS = SESSION_HOURS * 3600_000;
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

function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** `userId`: the user logging in; null for the owner (ADMIN_TOKEN). */
export async function startSession(c: Context<AppEnv>, userId: number | null = null): Promise<void> {
  const key = sessionKey(c.env);
  if (!key) throw new Error("startSession without ADMIN_TOKEN");
  const now = Date.now();
  const id = newSessionId();
  // Expired rows go when someone logs in: the table stays as small as the live sessions.
  await c.var.db.batch([
    c.var.db.delete(adminSessions).where(lt(adminSessions.createdAt, now - SESSION_MS)),
    c.var.db.insert(adminSessions).values({ id, createdAt: now, userId }),
  ]);
  await setSignedCookie(c, SESSION_COOKIE, id, await key, {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: "Strict",
    secure: isHttps(c),
    maxAge: SESSION_HOURS * 3600,
  });
}

/** The session id of a validly signed cookie (not yet checked against D1). */
async function signedSessionId(c: Context<AppEnv>): Promise<string | null> {
  const key = sessionKey(c.env);
  if (!key) return null;
  const value = await getSignedCookie(c, await key, SESSION_COOKIE);
  return value || null; // missing, or the signature does not match
}

/** Log out: the session's row goes, so the cookie is worthless even where it was copied. */
export async function endSession(c: Context<AppEnv>): Promise<void> {
  const id = await signedSessionId(c);
  if (id) await c.var.db.delete(adminSessions).where(eq(adminSessions.id, id));
  deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure: isHttps(c) });
}

/**
 * Who the session belongs to: the owner, or a user read afresh with the session (one indexed
 * join), so a changed role applies at the next page and a disabled user has no session.
 */
export async function sessionPrincipal(c: Context<AppEnv>): Promise<Principal | null> {
  const id = await signedSessionId(c);
  if (!id) return null;
  const row = await c.var.db
    .select({ createdAt: adminSessions.createdAt, userId: adminSessions.userId, user: users })
    .from(adminSessions)
    .leftJoin(users, eq(users.id, adminSessions.userId))
    .where(eq(adminSessions.id, id))
    .get();
  if (!row || row.createdAt <= Date.now() - SESSION_MS) return null;
  if (row.userId === null) return OWNER;
  if (!row.user || row.user.disabled) return null;
  return { kind: "user", id: row.user.id, role: row.user.role, label: row.user.email };
}

export async function hasSession(c: Context<AppEnv>): Promise<boolean> {
  return (await sessionPrincipal(c)) !== null;
}

/** Pages behind it need a live session; without one the browser goes to the login page. */
export function requireSession(): MiddlewareHandler<AppEnv> {
  return async function requireSession(c, next) {
    const principal = await sessionPrincipal(c);
    if (principal) {
      c.set("principal", principal);
      return next();
    }
    const url = new URL(c.req.url);
    const back = c.req.method === "GET" ? `?next=${encodeURIComponent(url.pathname + url.search)}` : "";
    return c.redirect(`/admin/login${back}`, 303);
  };
}

/** Only local admin paths are followed after login (no open redirect through `next`). */
export function safeNext(next: string | undefined): string {
  return next && /^\/admin(\/[\w\-/.?=&%]*)?$/.test(next) && !next.startsWith("/admin//") ? next : "/admin";
}
