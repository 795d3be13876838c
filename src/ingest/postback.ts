import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getDb } from "../lib/db";
import type { AppEnv } from "../lib/env";
import { errorBody } from "../lib/errors";
import { jsonAnswer } from "../lib/hot-path";
import { currentRequestId } from "../lib/request-id";
import { registerHit } from "./hit";
import { type Decoded, decodeFields, decodeUrlencoded, MAX_POSTBACK_BODY, mergeDecoded, rawQuery } from "./params";

/** A postback's answer: registered (or refused) with its log entry; never throws (a failure is a 503). */
async function answer(
  request: Request,
  env: Env,
  waitUntil: (p: Promise<unknown>) => void,
  decoded: Decoded,
): Promise<Response> {
  const res = await registerHit(env, getDb(env.DB), waitUntil, {
    source: "postback",
    decoded,
    ip: request.headers.get("cf-connecting-ip"),
    protect: true,
    probe: request.method === "HEAD",
  });
  // Served outside the router too (see below), so the request id goes into a refusal here.
  const body = "error" in res.body ? { ...res.body, requestId: currentRequestId() } : res.body;
  return jsonAnswer(body, res.httpStatus);
}

/**
 * GET /postback, most of the conversion traffic: served without the router, as the click is
 * (docs/performance.md), through lib/hot-path.ts. HEAD is judged as a dry run.
 */
export function servePostbackGet(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  return answer(request, env, (p) => ctx.waitUntil(p), decodeUrlencoded(rawQuery(request.url)));
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
export const postbackRoutes = new Hono<AppEnv>().post(
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
    const waitUntil = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
    return answer(c.req.raw, c.env, waitUntil, mergeDecoded(decodeUrlencoded(rawQuery(c.req.url)), body));
  },
);
