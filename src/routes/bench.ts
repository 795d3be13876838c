import { Hono, type MiddlewareHandler } from "hono";
import { d1Counts, resetD1Counts } from "../bench/d1-counter";
import { benchMode, countD1InBenchMode } from "../bench/mode";
import { rowCounts } from "../bench/stats";
import { isAdminToken } from "../lib/auth";
import type { AppEnv } from "../lib/env";

/** First middleware of the app: in bench mode every D1 statement of the isolate is counted. */
export const benchInstrumentation: MiddlewareHandler<AppEnv> = async function benchInstrumentation(c, next) {
  countD1InBenchMode(c.env);
  await next();
};

/**
 * /__bench/*: D1 statement counts and row counts for `npm run bench`. Absent (404 like any
 * unknown path) unless bench mode is on, and even then only for the admin token.
 */
export const benchRoutes = new Hono<AppEnv>()
  .use("/__bench/*", async (c, next) => {
    if (!benchMode(c.env)) return c.notFound();
    const token = c.req.header("authorization")?.replace(/^Bearer /, "");
    if (!(await isAdminToken(c.env, token))) return c.json({ error: "Invalid admin token" }, 401);
    await next();
  })
  .get("/__bench/stats", async (c) => c.json({ d1: d1Counts(), rows: await rowCounts(c.env.DB) }))
  .post("/__bench/reset", (c) => {
    resetD1Counts();
    return c.json({ d1: d1Counts() });
  });
