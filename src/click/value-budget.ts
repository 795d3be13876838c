import { throttleKey } from "../lib/login-throttle";
import { MAX_VAR_LENGTH } from "../model/vars";

/**
 * What an anonymous click may add to storage. var1…var10 and the user agent are dictionary-encoded (visits/dict.ts):
 * each value D1 has never seen costs a dictionary row, its index entry and rollup rows, so random
 * values are the way to fill a database. Values are clipped to MAX_CLICK_VALUE characters, and
 * each address (an IPv6 address as its /64, as for the login throttle) may bring
 * NEW_VALUES_PER_ADDRESS values this isolate has not seen recently per WINDOW_MS; beyond that a
 * value is stored as OVER_BUDGET_MARK and one of 4,096 hash buckets ("…#a3f"), so a flood adds
 * at most 4,096 dictionary values in all, and its visits are recognisable in every report.
 */
export const MAX_CLICK_VALUE = MAX_VAR_LENGTH;
export const NEW_VALUES_PER_ADDRESS = 100;
export const WINDOW_MS = 10 * 60_000;
export const OVER_BUDGET_MARK = "…#";
const MAX_RECENT = 20_000;
const MAX_ADDRESSES = 10_000;

const recent = new Set<string>();
const spent = new Map<string, { since: number; n: number }>();

/** Control characters (C0, DEL, C1) never reach storage: NUL and escapes would reach pages and CSV files. */
const CONTROL = /\p{Cc}/gu;

/** A click value as stored: control characters removed, at most `max` characters, blank = absent. */
export function cleanClickValue(value: string | null | undefined, max = MAX_CLICK_VALUE): string | null {
  if (value === null || value === undefined) return null;
  let out = value.replace(CONTROL, "");
  if (out.length > max) {
    out = out.slice(0, max);
    // Never keep half of a surrogate pair.
    if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  }
  return out === "" ? null : out;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function spend(address: string, now: number): boolean {
  let entry = spent.get(address);
  if (!entry || now - entry.since >= WINDOW_MS) {
    if (!entry && spent.size >= MAX_ADDRESSES) spent.clear();
    entry = { since: now, n: 0 };
    spent.set(address, entry);
  }
  if (entry.n >= NEW_VALUES_PER_ADDRESS) return false;
  entry.n++;
  return true;
}

/**
 * Values as stored, each cleaned (at most `max` characters) and charged to the address's budget
 * when new. Without CF-Connecting-IP (set by Cloudflare on every request; absent under `npm start`
 * and in tests) there is no address to charge, so no budget.
 */
export function budgeted(
  values: (string | null)[],
  ip: string | null | undefined,
  max = MAX_CLICK_VALUE,
  now = Date.now(),
): (string | null)[] {
  // The address is parsed only for a value not seen recently: most clicks repeat known values.
  let address: string | undefined;
  return values.map((raw) => {
    const value = cleanClickValue(raw, max);
    if (value === null || !ip || recent.has(value)) return value;
    address ??= throttleKey(ip);
    if (!spend(address, now)) return OVER_BUDGET_MARK + (fnv1a(value) & 0xfff).toString(16).padStart(3, "0");
    if (recent.size >= MAX_RECENT) recent.clear();
    recent.add(value);
    return value;
  });
}
