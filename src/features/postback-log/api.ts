import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/env";
import { validate } from "../../lib/validate";
import { listLog, logEntryJson } from "./list";
import { LOG_STATUSES } from "./write";

const query = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, "must be a nextCursor from an earlier page")
    .transform(Number)
    .optional(),
  status: z.enum(LOG_STATUSES).optional(),
});

/** GET /api/postbacks: the postback log, newest first. */
export const postbacksApi = new Hono<AppEnv>().get("/", validate("query", query), async (c) => {
  const page = await listLog(c.var.db, c.req.valid("query"));
  return c.json({ postbacks: page.rows.map(logEntryJson), nextCursor: page.nextCursor });
});
