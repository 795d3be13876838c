import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodType, z } from "zod";
import { ApiError, type ErrorBody, zodIssues } from "../lib/errors";

/**
 * Admin forms validate with the API's own schemas (each feature's schema.ts): the feature turns
 * the form's text fields into the API body (a z.preprocess), and the issues' paths ("offers[0].weight")
 * are named here by the form's labels ("Offers: …").
 */
export type FieldLabels = Record<string, string>;

/** A submitted form's text fields (files are not used by any admin form). */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === "string") out[key] = value;
  return out;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: string[]; status: ContentfulStatusCode };

/** One readable line per issue: the label of its path (or of the path's first part), then the message. */
export function labelIssues(issues: NonNullable<ErrorBody["issues"]>, labels: FieldLabels): string[] {
  return issues.map((i) => {
    const name = labels[i.path] ?? labels[i.path.split(/[.[]/)[0] ?? ""] ?? i.path;
    return name ? `${name}: ${i.message}` : i.message;
  });
}

/** Validates with zod; a failure is a 400 with one line per field. */
export function parseForm<S extends ZodType>(schema: S, input: unknown, labels: FieldLabels = {}): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, errors: labelIssues(zodIssues(result.error), labels), status: 400 };
}

/**
 * Runs the step the API runs for the same body (an offer check, a save). An ApiError naming
 * fields (an archived offer, a taken name) comes back as lines for the form, with the API's
 * status (400, 409); anything else propagates to the error page.
 */
export async function submitForm<T>(labels: FieldLabels, run: () => Promise<T>): Promise<Parsed<T>> {
  try {
    return { ok: true, data: await run() };
  } catch (err) {
    if (!(err instanceof ApiError) || !err.issues || err.status >= 500) throw err;
    return { ok: false, errors: labelIssues(err.issues, labels), status: err.status };
  }
}
