import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { ZodType } from "zod";
import { validationError } from "./errors";

/**
 * zod validation for a request part with the project's 400 envelope. Malformed JSON is a 400
 * from Hono's own parser; a schema failure names every field that failed.
 */
export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw validationError(result.error as never, `Invalid ${target}`);
  });
}
