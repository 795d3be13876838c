import { Hono, type MiddlewareHandler } from "hono";
import { d1Counts, resetD1Counts, uncountedD1 } from "../bench/d1-counter";
import { benchMode, withCountedD1 } from "../bench/mode";
import { rowCounts } from "../bench/stats";
import { isAdminToken } from "../lib/auth";
import { getDb } from "../lib/db";
import type { AppEnv } from "../lib/env";

/** First middleware of the app: in bench mode every D1 statement the app runs is counted. */
export const countD1InBenchMode: MiddlewareHandler<AppEnv> = async function countD1InBenchMode(c, next) {
  c.env = withCountedD1(c.env);
  await next();
};

/**
 * /__bench/*: D1 statement counts and row counts for `npm run bench`. Absent (404 like any
 * unknown path) unless bench mode is on, and even then only for the admin token. Row counts
 * are read through the uncounted binding, so polling them does not change the figures.
 */
export const benchRoutes = new Hono<AppEnv>()
  .use("/__bench/*", async (c, next) => {
    if (!benchMode(c.env)) return c.notFound();
    const token = c.req.header("authorization")?.replace(/^Bearer /, "");
    if (!(await isAdminToken(c.env, token))) return c.json({ error: "Invalid admin token" }, 401);
    await next();
  })
  .get("/__bench/stats", async (c) => {
    return c.json({ d1: d1Counts(), rows: await rowCounts(getDb(uncountedD1(c.env.DB))) });
  })
  .post("/__bench/reset", (c) => {
    resetD1Counts();
    return c.json({ d1: d1Counts() });
  });
