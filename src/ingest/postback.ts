import { type Context, Hono } from "hono";
import type { AppEnv } from "../lib/env";
import { errorBody } from "../lib/errors";
import { registerHit } from "./hit";

/** Keeps string values only (a multipart file is not a parameter); the first value of a repeated name wins. */
function strings(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (typeof v === "string") out[key] = v;
  }
  return out;
}

async function answer(c: Context<AppEnv>, params: Record<string, string>) {
  const res = await registerHit(c.env, c.var.db, (p) => c.executionCtx.waitUntil(p), {
    source: "postback",
    params,
    ip: c.req.header("cf-connecting-ip") ?? null,
    protect: true,
  });
  c.header("Cache-Control", "no-store");
  return c.json(res.body, res.httpStatus);
}

/** Server-to-server postback (SPEC §3): query string, or a form body on POST (body values win). */
export const postbackRoutes = new Hono<AppEnv>()
  .get("/postback", (c) => answer(c, c.req.query()))
  .post("/postback", async (c) => {
    let body: Record<string, unknown> = {};
    try {
      body = await c.req.parseBody();
    } catch {
      return c.json(errorBody("invalid_parameter", "body: not a readable form body"), 400);
    }
    return answer(c, { ...c.req.query(), ...strings(body) });
  });
