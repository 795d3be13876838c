import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { campaigns } from "../../db/schema";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import { weightHistory } from "./weights";

const DAY_MS = 86_400_000;
/** A day (YYYY-MM-DD, UTC, `to` inclusive) or an ISO date-time. */
const instant = z
  .string()
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}(T.+)?$/.test(s) && !Number.isNaN(Date.parse(s)),
    "must be YYYY-MM-DD or an ISO date-time",
  )
  .optional();

/** GET /api/campaigns/:id/weights?from&to: the learned weights' history (docs/rules.md). */
export const weightsApi = new Hono<AppEnv>().get(
  "/:id/weights",
  validate("query", z.strictObject({ from: instant, to: instant })),
  async (c) => {
    const id = parseId(c.req.param("id"), "Campaign");
    const found = await c.var.db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, id)).get();
    if (!found) throw new ApiError("not_found", "Campaign not found");
    const q = c.req.valid("query");
    const to = q.to ? Date.parse(q.to) + (q.to.length === 10 ? DAY_MS : 0) : Date.now() + 1;
    const from = q.from ? Date.parse(q.from) : to - 7 * DAY_MS;
    if (from >= to)
      throw new ApiError("invalid_parameter", "Invalid query: to: must be after from", [
        { path: "to", message: "must be after from" },
      ]);
    return c.json({
      campaignId: id,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      history: await weightHistory(c.var.db, id, from, to),
    });
  },
);
