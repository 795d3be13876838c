/**
 * Self-verifying click IDs (docs/tracking.md). 24 bytes -> 32 base64url characters (24 * 8 = 32 * 6, so no
 * padding bits and every character matters): a 16-byte body, then HMAC-SHA-256 over the body with
 * CLICKID_SECRET truncated to 64 bits. Forging one needs the secret; a mistyped ID fails the tag
 * check without touching storage. Two body layouts, told apart by the body's first bit:
 *
 * v1 (first bit 0; no longer minted, still verified):
 *   [0..4) visit time, unix seconds, uint32 BE (its top bit is 0 until 2038) · [4..8) campaign id ·
 *   [8..12) offer id · [12..16) random nonce
 *
 * v2 (first bit 1), a bit string:
 *   1 bit marker · 31 bits visit time, seconds since 2025-01-01 UTC (until 2093) ·
 *   campaign id, path number, lander id, offer id, each a 2-bit width code (0, 10, 20 or 32 bits)
 *   then the value in that many bits · the remaining bits a random nonce.
 *   Ids below 1,024 take 12 bits and below 1,048,576 take 22, so with every id under a million
 *   the nonce keeps at least 38 bits (v1 has 32); huge ids shrink it (never below 4 bits).
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { PATHS_PER_CAMPAIGN, pathNumber } from "./path-ids";

/** Cookie the conversion pixel and GET /click read the click ID from. */
export const CLICK_COOKIE = "ct_cid";

export interface ClickIdData {
  /** Visit time in epoch milliseconds, truncated to the second. */
  visitTime: number;
  campaignId: number;
  /** 0: none yet (the visit went to a lander; GET /click chooses the offer). */
  offerId: number;
  /** The lander the visit was sent to; null: none (or a v1 ID). */
  landerId: number | null;
  /** The flow path (see path-ids.ts); null: the campaign has no flow (or a v1 ID). */
  pathId: number | null;
}

export type MintInput = Pick<ClickIdData, "visitTime" | "campaignId" | "offerId"> &
  Partial<Pick<ClickIdData, "landerId" | "pathId">>;

export const CLICK_ID_LENGTH = 32;
const BODY = 16;
const TAG = 8;
const SHAPE = /^[A-Za-z0-9_-]{32}$/;
const V2_EPOCH_S = Date.UTC(2025, 0, 1) / 1000;
const WIDTHS = [0, 10, 20, 32] as const;

// One HMAC state per secret, its key's inner and outer blocks hashed once: each tag clones it and
// hashes the 16-byte body, synchronously. Web Crypto keys anew inside every sign and answers
// through a promise: measured slower on every click (docs/performance.md).
const keyed = new Map<string, ReturnType<typeof hmac.create>>();

function tag(secret: string, body: Uint8Array): Uint8Array {
  let base = keyed.get(secret);
  if (!base) {
    base = hmac.create(sha256, new TextEncoder().encode(secret));
    keyed.set(secret, base);
  }
  return base.clone().update(body).digest().subarray(0, TAG);
}

/** Mints a v2 click ID. Throws on a missing secret or on ids that cannot be carried. */
export async function mintClickId(secret: string, data: MintInput): Promise<string> {
  if (!secret) throw new Error("CLICKID_SECRET is not set");
  const seconds = Math.floor(data.visitTime / 1000) - V2_EPOCH_S;
  const path = data.pathId ? pathNumber(data.pathId, data.campaignId) : 0;
  if (seconds < 0 || seconds >= 2 ** 31 || path === null) throw new Error("click ID: data out of range");
  const bytes = new Uint8Array(BODY + TAG);
  crypto.getRandomValues(bytes.subarray(0, BODY)); // the bits left after the fields are the nonce
  const bits = new Bits(bytes);
  bits.write(1, 1);
  bits.write(seconds, 31);
  for (const id of [data.campaignId, path, data.landerId ?? 0, data.offerId]) bits.writeId(id);
  if (bits.pos > BODY * 8) throw new Error("click ID: ids too large to carry");
  bytes.set(tag(secret, bytes.subarray(0, BODY)), BODY);
  return toBase64Url(bytes);
}

/** Returns the data carried by a genuine click ID (v1 or v2), or null for anything else. */
export async function verifyClickId(secret: string, clickId: string): Promise<ClickIdData | null> {
  if (!secret || typeof clickId !== "string" || !SHAPE.test(clickId)) return null;
  const bytes = fromBase64Url(clickId);
  const expected = tag(secret, bytes.subarray(0, BODY));
  let diff = 0;
  for (let i = 0; i < TAG; i++) diff |= expected[i]! ^ bytes[BODY + i]!;
  if (diff !== 0) return null;
  if ((bytes[0]! & 0x80) === 0) {
    const view = new DataView(bytes.buffer);
    return {
      visitTime: view.getUint32(0) * 1000,
      campaignId: view.getUint32(4),
      offerId: view.getUint32(8),
      landerId: null,
      pathId: null,
    };
  }
  const bits = new Bits(bytes);
  bits.read(1);
  const visitTime = (V2_EPOCH_S + bits.read(31)) * 1000;
  const [campaignId, path, landerId, offerId] = [bits.readId(), bits.readId(), bits.readId(), bits.readId()];
  if (bits.pos > BODY * 8 || path >= PATHS_PER_CAMPAIGN) return null;
  return {
    visitTime,
    campaignId,
    offerId,
    landerId: landerId || null,
    pathId: path ? campaignId * PATHS_PER_CAMPAIGN + path : null,
  };
}

/** Big-endian bit cursor over the body; reads past its end give zeros (callers check `pos`). */
class Bits {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  write(value: number, width: number): void {
    for (let i = width - 1; i >= 0; i--, this.pos++) {
      const mask = 0x80 >> (this.pos & 7);
      const at = this.pos >> 3;
      if (at >= BODY) continue;
      // Exact for every value the layout carries (below 2^32) and i below 32.
      if ((value >>> i) & 1) this.bytes[at]! |= mask;
      else this.bytes[at]! &= ~mask;
    }
  }

  read(width: number): number {
    let value = 0;
    for (let i = 0; i < width; i++, this.pos++) {
      const at = this.pos >> 3;
      const bit = at < BODY ? (this.bytes[at]! >> (7 - (this.pos & 7))) & 1 : 0;
      value = value * 2 + bit;
    }
    return value;
  }

  writeId(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= 2 ** 32) throw new Error("click ID: id out of range");
    const code = WIDTHS.findIndex((w) => id < 2 ** w);
    this.write(code, 2);
    this.write(id, WIDTHS[code]!);
  }

  readId(): number {
    return this.read(WIDTHS[this.read(2)]!);
  }
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Three bytes to four characters straight from the alphabet: the length is a multiple of three,
// so no padding; cheaper than btoa and two replacements on every click.
function toBase64Url(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += BASE64URL[n >> 18]! + BASE64URL[(n >> 12) & 63]! + BASE64URL[(n >> 6) & 63]! + BASE64URL[n & 63]!;
  }
  return out;
}

function fromBase64Url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
