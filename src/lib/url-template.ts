import { z } from "zod";

/**
 * Why a URL template (an offer's or a lander's URL, tokens such as {clickid} allowed) is not
 * acceptable, or null when it is: it must be an absolute http(s) URL, and tokens may appear only
 * after the host (path, query, fragment), so no visitor-supplied value can choose the scheme or
 * the host a redirect goes to.
 */
export function urlTemplateProblem(value: string): string | null {
  const absolute = "must be an absolute http:// or https:// URL";
  const authority = /^https?:\/\/([^/\\?#]+)/i.exec(value);
  if (!authority) return absolute;
  if (/[{}]/.test(authority[1]!)) return "tokens may appear only after the host (in the path or query)";
  try {
    // Tokens are not valid in every URL position, so check the URL with them blanked.
    const url = new URL(value.replace(/\{[^{}]*\}/g, "x"));
    return url.protocol === "http:" || url.protocol === "https:" ? null : absolute;
  } catch {
    return absolute;
  }
}

/** A URL template field (trimmed, ≤ 4096 characters) validated by urlTemplateProblem. */
export const urlTemplateSchema = z
  .string()
  .trim()
  .max(4096)
  .superRefine((value, ctx) => {
    const problem = urlTemplateProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
