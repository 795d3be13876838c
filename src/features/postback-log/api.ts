import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { validate } from "../../lib/validate";
import { listLog, logEntryJson } from "./list";
import { logQuery } from "./schema";

/** GET /api/postbacks: the postback log, newest first. */
export const postbacksApi = new Hono<AppEnv>().get("/", validate("query", logQuery), async (c) => {
  const page = await listLog(c.var.db, c.req.valid("query"));
  return c.json({ postbacks: page.rows.map(logEntryJson), nextCursor: page.nextCursor });
});
