import { zValidator } from "@hono/zod-validator";
import type { Context, MiddlewareHandler, ValidationTargets } from "hono";
import { resolver, uniqueSymbol } from "hono-openapi";
import type { ZodType } from "zod";
import { ApiError, validationError } from "./errors";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * JSON bodies are read as JSON only when they say so: anything else (text/plain, a form, no
 * Content-Type) is a 415 naming what was sent, never a confusing "name: expected string".
 */
function requireJsonBody(c: Context): void {
  const sent = c.req.header("content-type");
  const media = sent?.split(";")[0]?.trim() ?? "";
  if (!JSON_TYPE.test(media)) {
    const what = media ? `"${media.slice(0, 100)}"` : "none";
    throw new ApiError(
      "unsupported_media_type",
      `Content-Type: expected application/json, got ${what}; send the body as JSON`,
    );
  }
}

/**
 * zod validation for a request part with the project's 400 envelope; a schema failure names
 * every field that failed. For `json`, the Content-Type is checked first (415) and a body that
 * is not JSON at all is a 400 naming `body`.
 */
export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  const check = zValidator(target, schema, (result) => {
    // A JSON body that is not an object at all is named "body"; a query, "query".
    if (!result.success)
      throw validationError(result.error as never, `Invalid ${target}`, target === "json" ? "body" : target);
  });
  // Marked the way hono-openapi's own validator marks itself, so the API description is generated
  // from this very schema (src/openapi); the validation and its 400s stay ours.
  const described = <M extends object>(m: M) => Object.assign(m, { [uniqueSymbol]: { target, ...resolver(schema) } });
  if (target !== "json") return described(check);
  const checkJson: MiddlewareHandler = async function validateJson(c, next) {
    requireJsonBody(c);
    try {
      // Parsed once: Hono keeps the parsed body for the validator below.
      await c.req.json();
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError("invalid_parameter", "body: not valid JSON");
    }
    return check(c as never, next);
  };
  return described(checkJson) as typeof check;
}
