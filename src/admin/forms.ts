import type { Context } from "hono";
import type { ZodType, z } from "zod";
import { zodIssues } from "../lib/errors";

/** Labels for form fields in error messages, so "costPerClick" reads as "Cost per click". */
export type FieldLabels = Record<string, string>;

/** A submitted form's text fields (files are not used by any admin form). */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === "string") out[key] = value;
  return out;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: string[] };

/** Validates with zod and turns failures into one readable line per field. */
export function parseForm<S extends ZodType>(schema: S, input: unknown, labels: FieldLabels = {}): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    errors: zodIssues(result.error).map((i) => {
      const name = labels[i.path] ?? labels[i.path.split(/[.[]/)[0] ?? ""] ?? i.path;
      return name ? `${name}: ${i.message}` : i.message;
    }),
  };
}
