import { Hono } from "hono";
import { bodyCap } from "../../lib/body";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { MAX_UPLOAD_BYTES, tooManyLines } from "./parse";
import { runUpload } from "./run";

/** `?dryRun=1` (or `true`) validates and reports without registering anything. */
export const isDryRun = (value: string | undefined) => value === "1" || value === "true";

/** POST /api/conversions/upload (docs/conversions.md): a text/plain body, one conversion per line. */
export const uploadApi = new Hono<AppEnv>().post(
  "/",
  // A declared size is checked before the body is read, so an oversized upload registers nothing.
  bodyCap({ maxBytes: MAX_UPLOAD_BYTES, tooLarge: tooManyLines }),
  async (c) => {
    const type = c.req.header("content-type");
    if (type && !/^text\/(plain|csv)\b/i.test(type)) {
      throw new ApiError(
        "invalid_parameter",
        "Content-Type must be text/plain: one conversion per line, fields separated by commas",
      );
    }
    const report = await runUpload(c.env, await c.req.text(), { dryRun: isDryRun(c.req.query("dryRun")) });
    return c.json(report);
  },
);
