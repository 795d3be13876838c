import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { validate } from "../../lib/validate";
import { auditJson, listAudit } from "./queries";
import { auditQuery } from "./schema";

/** GET /api/audit: every change through the API and the pages, newest first. */
export const auditApi = new Hono<AppEnv>().get("/", validate("query", auditQuery), async (c) => {
  const page = await listAudit(c.var.db, c.req.valid("query"));
  return c.json({ entries: page.rows.map(auditJson), nextCursor: page.nextCursor });
});
