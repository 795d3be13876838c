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
