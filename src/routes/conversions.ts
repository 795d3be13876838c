import { Hono } from "hono";
import { z } from "zod";
import { decodeCursor } from "../conversions/cursor";
import { conversionsCsv } from "../conversions/export";
import { DEFAULT_LIMIT, listConversions, MAX_LIMIT } from "../conversions/queries";
import type { AppEnv } from "../lib/env";
import { validate } from "../lib/validate";
import { rangeQuery, resolveRange } from "../reports/range";

export const conversionsQuery = rangeQuery.extend({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).optional(),
  cursor: z.string().max(1000).optional(),
  format: z.enum(["json", "csv"]).default("json"),
});

/** GET /api/conversions (SPEC §6). POST /api/conversions/upload is mounted separately. */
export const conversionsApi = new Hono<AppEnv>().get("/", validate("query", conversionsQuery), async (c) => {
  const q = c.req.valid("query");
  const range = await resolveRange(c.var.db, q);
  const query = { range, campaignId: q.campaignId, after: q.cursor === undefined ? undefined : decodeCursor(q.cursor) };
  if (q.format === "csv") return conversionsCsv(c, c.var.db, query, q.limit);
  return c.json(await listConversions(c.var.db, { ...query, limit: q.limit ?? DEFAULT_LIMIT }));
});
