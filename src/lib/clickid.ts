/**
 * Self-verifying click IDs (SPEC §2).
 *
 * Layout, 24 bytes -> 32 base64url characters (24 * 8 = 32 * 6, so no padding bits and every
 * character matters):
 *   [0..4)   visit time, unix seconds, uint32 big-endian
 *   [4..8)   campaign id, uint32
 *   [8..12)  offer id, uint32
 *   [12..16) random nonce (two clicks in the same second stay distinct)
 *   [16..24) HMAC-SHA-256 over bytes [0..16) with CLICKID_SECRET, truncated to 64 bits
 * Forging one needs the secret; a mistyped ID fails the tag check without touching storage.
 */

/** Cookie the conversion pixel reads the click ID from. */
export const CLICK_COOKIE = "ct_cid";

export interface ClickIdData {
  /** Visit time in epoch milliseconds, truncated to the second. */
  visitTime: number;
  campaignId: number;
  offerId: number;
}

export const CLICK_ID_LENGTH = 32;
const BODY = 16;
const TAG = 8;
const SHAPE = /^[A-Za-z0-9_-]{32}$/;

// Resolved keys only: a request never awaits a promise another request created (workerd may
// cancel such a wait), and after the first import every tag check skips importKey.
const keys = new Map<string, CryptoKey>();

async function hmacKey(secret: string): Promise<CryptoKey> {
  const cached = keys.get(secret);
  if (cached) return cached;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  keys.set(secret, key);
  return key;
}

async function tag(secret: string, body: Uint8Array): Promise<Uint8Array> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), body);
  return new Uint8Array(mac, 0, TAG);
}

export async function mintClickId(secret: string, data: ClickIdData): Promise<string> {
  if (!secret) throw new Error("CLICKID_SECRET is not set");
  const bytes = new Uint8Array(BODY + TAG);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, Math.floor(data.visitTime / 1000));
  view.setUint32(4, data.campaignId);
  view.setUint32(8, data.offerId);
  crypto.getRandomValues(bytes.subarray(12, BODY));
  bytes.set(await tag(secret, bytes.subarray(0, BODY)), BODY);
  return toBase64Url(bytes);
}

/** Returns the data carried by a genuine click ID, or null for anything else. */
export async function verifyClickId(secret: string, clickId: string): Promise<ClickIdData | null> {
  if (!secret || typeof clickId !== "string" || !SHAPE.test(clickId)) return null;
  const bytes = fromBase64Url(clickId);
  const expected = await tag(secret, bytes.subarray(0, BODY));
  let diff = 0;
  for (let i = 0; i < TAG; i++) diff |= expected[i]! ^ bytes[BODY + i]!;
  if (diff !== 0) return null;
  const view = new DataView(bytes.buffer);
  return { visitTime: view.getUint32(0) * 1000, campaignId: view.getUint32(4), offerId: view.getUint32(8) };
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_");
}

function fromBase64Url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
