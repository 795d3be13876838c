import { z } from "zod";

/**
 * An http(s) URL that may hold `{token}`s: offer and lander URLs, traffic-source postback URLs. Tokens are filled with visitor- or network-supplied values, so they may stand in
 * the path, query or fragment only: a token in the scheme or host would let `?var1=evil.com`
 * choose where a visitor is sent. The scheme and host are checked as written, before any
 * browser-style repair: `http:/\evil.com` or `https://a@evil.com` are refused, not normalised.
 */
const SCHEME_AND_AUTHORITY = /^(https?):\/\/([^/?#]*)/i;
const TOKEN = /\{[^{}]*\}/g;

/** Why `value` is not a usable URL template, or null when it is. */
export function urlTemplateProblem(value: string): string | null {
  const head = SCHEME_AND_AUTHORITY.exec(value);
  if (!head) {
    return /^[^:/?#]*\{/.test(value)
      ? "tokens may appear only after the host (in the path, query or fragment), not in the scheme"
      : "must be an absolute http:// or https:// URL";
  }
  const authority = head[2]!;
  // "https:///{var1}/x": browsers take the first path segment as the host.
  if (authority === "") return "must name a host after http(s)://";
  if (/[{}]/.test(authority)) return "tokens may appear only after the host (in the path, query or fragment)";
  if (value.includes("\\")) return "must not contain a backslash (browsers read it as a slash)";
  if (authority.includes("@")) return "must not hold a user name or password before the host";
  if (/[\s\p{Cc}]/u.test(value)) return "must not contain spaces or control characters";
  let url: URL;
  try {
    // Tokens are not valid in every position URL accepts, so parse with each one blanked.
    url = new URL(value.replace(TOKEN, "x"));
  } catch {
    return "must be an absolute http:// or https:// URL";
  }
  return url.hostname === "" ? "must name a host after http(s)://" : null;
}

/** The one rule for URL templates, for every schema that stores one. */
export const urlTemplateSchema = z
  .string()
  .trim()
  .max(4096)
  .superRefine((value, ctx) => {
    const problem = urlTemplateProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const FILL = /\{([A-Za-z0-9_.]+)\}/g;

/** The names of the `{token}`s a template holds, as fillUrlTemplate reads them. */
export function templateTokens(template: string): string[] {
  return [...template.matchAll(FILL)].map((m) => m[1]!);
}

// What WHATWG URL parsing treats as "." or ".." (percent-encoded dots included: "%2E%2E" too).
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Fills a template's known tokens with URL-encoded values in one pass (a value holding "{payout}"
 * is never expanded again, and none can add a scheme, host or path separator). A path segment
 * that the values would turn into "." or ".." (which every URL parser resolves, encoded or not)
 * is filled with those tokens empty instead, and left empty if it is still one: a value can
 * never move a URL to another path. Unknown tokens stay as written.
 */
export function fillUrlTemplate(
  template: string,
  known: ReadonlySet<string>,
  value: (name: string) => string | null | undefined,
): string {
  const fill = (part: string, blank: boolean) =>
    part.replace(FILL, (whole, name: string) =>
      known.has(name) ? (blank ? "" : encodeURIComponent(value(name) ?? "")) : whole,
    );
  const cut = template.search(/[?#]/);
  const path = cut < 0 ? template : template.slice(0, cut);
  // Most templates hold their tokens in the query only: the path is kept as written.
  if (!path.includes("{")) return cut < 0 ? path : path + fill(template.slice(cut), false);
  const segments = path.split("/").map((segment) => {
    const filled = fill(segment, false);
    if (filled === segment || !DOT_SEGMENT.test(filled)) return filled;
    const blank = fill(segment, true);
    return DOT_SEGMENT.test(blank) ? "" : blank;
  });
  return segments.join("/") + (cut < 0 ? "" : fill(template.slice(cut), false));
}
