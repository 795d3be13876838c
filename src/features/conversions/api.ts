import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { validate } from "../../lib/validate";
import { resolveRange } from "../../reports/range";
import { decodeCursor } from "./cursor";
import { conversionsCsv } from "./export";
import { DEFAULT_LIMIT, listConversions } from "./queries";
import { conversionsQuery } from "./schema";

/** GET /api/conversions (SPEC §6). POST /api/conversions/upload is mounted separately. */
export const conversionsApi = new Hono<AppEnv>().get("/", validate("query", conversionsQuery), async (c) => {
  const q = c.req.valid("query");
  const range = await resolveRange(c.var.db, q);
  const query = {
    range,
    campaignId: q.campaignId,
    status: q.status,
    after: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
  };
  if (q.format === "csv") return conversionsCsv(c, c.var.db, query, q.limit);
  return c.json(await listConversions(c.var.db, { ...query, limit: q.limit ?? DEFAULT_LIMIT }));
});
