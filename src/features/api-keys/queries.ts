import { and, asc, eq, isNull, lt, or } from "drizzle-orm";
import { type ApiKeyRow, apiKeys, type Role } from "../../db/schema";
import type { Db } from "../../lib/db";

/**
 * Keys look like `ct_` + 43 base64url characters (256 random bits): the fixed prefix lets
 * secret scanners (and people) recognise a leaked one. Only the key's SHA-256 is stored, so
 * a key is shown once, when it is created; a fast hash is enough for 256 random bits.
 */
export const KEY_PREFIX = "ct_";
/** How much of a key the list shows: enough to tell keys apart, far too little to guess the rest. */
export const SHOWN_PREFIX_LENGTH = 10;
/** Last use is written at most once a minute per key: one write per minute, not per request. */
export const LAST_USE_RESOLUTION_MS = 60_000;

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const looksLikeKey = (token: string) => token.startsWith(KEY_PREFIX);

export async function createKey(db: Db, input: { name: string; role: Role }): Promise<{ row: ApiKeyRow; key: string }> {
  const key = KEY_PREFIX + base64url(crypto.getRandomValues(new Uint8Array(32)));
  const [row] = await db
    .insert(apiKeys)
    .values({
      name: input.name,
      role: input.role,
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      keyHash: await sha256Hex(key),
      createdAt: Date.now(),
    })
    .returning();
  return { row: row!, key };
}

export function listKeys(db: Db): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).orderBy(asc(apiKeys.id)).all();
}

export function getKey(db: Db, id: number): Promise<ApiKeyRow | undefined> {
  return db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
}

/** Revoked at once: every request reads the key's row, nothing caches it. Undefined: no such key. */
export async function revokeKey(db: Db, id: number): Promise<ApiKeyRow | undefined> {
  await db
    .update(apiKeys)
    .set({ revokedAt: Date.now() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  return getKey(db, id);
}

/** The live key a bearer token is, if any (one indexed read). */
export async function findLiveKey(db: Db, token: string): Promise<ApiKeyRow | undefined> {
  if (!looksLikeKey(token)) return undefined;
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, await sha256Hex(token)), isNull(apiKeys.revokedAt)))
    .get();
}

/** Records a use unless one was recorded in the last minute (the condition also covers racing isolates). */
export function touchKey(db: Db, row: ApiKeyRow, now: number): Promise<unknown> | null {
  if (row.lastUsedAt !== null && row.lastUsedAt > now - LAST_USE_RESOLUTION_MS) return null;
  return db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - LAST_USE_RESOLUTION_MS))),
    )
    .run();
}

/** A key as lists show it: the prefix, never the key or its hash. */
export function keyJson(row: ApiKeyRow) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdAt: iso(row.createdAt),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}
