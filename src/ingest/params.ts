import { FORBIDDEN_CHARS, FORBIDDEN_MESSAGE } from "./fields";

/**
 * The one decoding rule of postback and pixel parameters (hardening rows 1, 2, 6), whatever
 * carries them: a GET query string, a POST urlencoded body or a multipart body.
 * - urlencoded text splits on "&" and at the first "="; "+" is a space; every "%" must start an
 *   escape of two hex digits and the escaped bytes must be UTF-8, else the request is refused
 *   (`payout=1%` and `txid=ord%ff1` are 400s by GET and POST alike, never guessed at);
 * - multipart text fields arrive decoded (files are not parameters);
 * - then every name and value: no control characters, no U+FFFD (what undecodable bytes become);
 * - the first value of a repeated name wins; on POST, body values win over the query string's.
 */
export type Decoded =
  | { ok: true; params: Record<string, string> }
  /** `params`: what was received, undecoded, for the postback log. */
  | { ok: false; name: string; message: string; params: Record<string, string> };

/** The public POST /postback body cap: a postback is a few hundred bytes. */
export const MAX_POSTBACK_BODY = 16 * 1024;

const clip = (name: string) => (name.length > 64 ? `${name.slice(0, 64)}…` : name);

function decodeComponent(text: string): string | null {
  const spaced = text.replaceAll("+", " ");
  if (!spaced.includes("%")) return spaced;
  try {
    // Throws on a stray "%" and on escapes that are not UTF-8 (%ff, overlong forms, surrogates).
    return decodeURIComponent(spaced);
  } catch {
    return null;
  }
}

/** A query string (without "?") or an application/x-www-form-urlencoded body. */
export function decodeUrlencoded(text: string): Decoded {
  const pairs: [string, string][] = [];
  for (const piece of text.split("&")) {
    if (piece === "") continue;
    const eq = piece.indexOf("=");
    pairs.push(eq < 0 ? [piece, ""] : [piece.slice(0, eq), piece.slice(eq + 1)]);
  }
  const decoded: [string, string][] = [];
  for (const [rawName, rawValue] of pairs) {
    const name = decodeComponent(rawName);
    const value = decodeComponent(rawValue);
    if (name === null || value === null) {
      return refuse(name ?? rawName, "malformed percent-encoding (a % must start %XX, and the bytes be UTF-8)", pairs);
    }
    decoded.push([name, value]);
  }
  return checked(decoded, pairs);
}

/** Text fields of a multipart body, already decoded by the runtime. */
export function decodeFields(fields: Iterable<[string, string]>): Decoded {
  const pairs = [...fields];
  return checked(pairs, pairs);
}

/** The query string's parameters merged with the body's, the body winning. */
export function mergeDecoded(query: Decoded, body: Decoded): Decoded {
  if (!query.ok) return query;
  if (!body.ok) return { ...body, params: { ...query.params, ...body.params } };
  return { ok: true, params: { ...query.params, ...body.params } };
}

/** The raw query string of a URL, without "?". */
export function rawQuery(url: string): string {
  const start = url.indexOf("?");
  if (start < 0) return "";
  const end = url.indexOf("#", start);
  return url.slice(start + 1, end < 0 ? undefined : end);
}

function checked(decoded: [string, string][], raw: [string, string][]): Decoded {
  const params: Record<string, string> = Object.create(null);
  for (const [name, value] of decoded) {
    if (FORBIDDEN_CHARS.test(name) || FORBIDDEN_CHARS.test(value)) return refuse(name, FORBIDDEN_MESSAGE, raw);
    if (!Object.hasOwn(params, name)) params[name] = value;
  }
  return { ok: true, params };
}

function refuse(name: string, message: string, raw: [string, string][]): Decoded {
  const params: Record<string, string> = Object.create(null);
  for (const [n, v] of raw) if (!Object.hasOwn(params, n)) params[n] = v;
  return { ok: false, name: clip(name), message, params };
}
