import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../lib/env";
import { errorBody } from "../lib/errors";
import { registerHit } from "./hit";
import { type Decoded, decodeFields, decodeUrlencoded, MAX_POSTBACK_BODY, mergeDecoded, rawQuery } from "./params";

async function answer(c: Context<AppEnv>, decoded: Decoded) {
  const res = await registerHit(c.env, c.var.db, (p) => c.executionCtx.waitUntil(p), {
    source: "postback",
    decoded,
    ip: c.req.header("cf-connecting-ip") ?? null,
    protect: true,
    probe: c.req.method === "HEAD",
  });
  c.header("Cache-Control", "no-store");
  return c.json(res.body, res.httpStatus);
}

const bodyRefused = (c: Context, status: 400 | 413 | 415, code: Parameters<typeof errorBody>[0], error: string) => {
  c.header("Cache-Control", "no-store");
  return c.json(errorBody(code, error), status);
};

/** A form body: urlencoded (also when untyped or text/plain, as curl -d sends), or multipart. */
async function readBody(c: Context<AppEnv>): Promise<Decoded | Response> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    try {
      const form = await c.req.raw.formData();
      const fields: [string, string][] = [];
      form.forEach((value, name) => {
        if (typeof value === "string") fields.push([name, value]);
      });
      return decodeFields(fields);
    } catch {
      return bodyRefused(c, 400, "invalid_parameter", "body: not a readable multipart/form-data body");
    }
  }
  const text = await c.req.text();
  if (type === "" || type.startsWith("application/x-www-form-urlencoded") || type.startsWith("text/plain")) {
    return decodeUrlencoded(text);
  }
  if (text === "") return { ok: true, params: {} };
  return bodyRefused(
    c,
    415,
    "unsupported_media_type",
    "Content-Type: a postback body must be application/x-www-form-urlencoded or multipart/form-data",
  );
}

/** Server-to-server postback (docs/tracking.md, docs/conversions.md): query string, or a form body on POST (body values win). */
export const postbackRoutes = new Hono<AppEnv>()
  .get("/postback", (c) => answer(c, decodeUrlencoded(rawQuery(c.req.url))))
  .post(
    "/postback",
    // Checked before the body is read (Content-Length, else while streaming).
    bodyLimit({
      maxSize: MAX_POSTBACK_BODY,
      onError: (c) =>
        bodyRefused(c, 413, "payload_too_large", `body: a postback body may be at most ${MAX_POSTBACK_BODY} bytes`),
    }),
    async (c) => {
      const body = await readBody(c);
      if (body instanceof Response) return body;
      return answer(c, mergeDecoded(decodeUrlencoded(rawQuery(c.req.url)), body));
    },
  );
