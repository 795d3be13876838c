import { Hono } from "hono";
import type { z } from "zod";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { validate } from "../../lib/validate";
import { resolveRange } from "../../reports/range";
import { decodeCursor } from "./cursor";
import { conversionsCsv } from "./export";
import { DEFAULT_LIMIT, listConversions } from "./queries";
import { conversionsQuery } from "./schema";

/** GET /api/conversions (docs/admin-api.md). POST /api/conversions/upload is mounted separately. */
/** What the list reads for a validated query (range resolved, cursor decoded); the MCP tool too. */
export async function conversionsListQuery(db: Db, q: Omit<z.infer<typeof conversionsQuery>, "format">) {
  const range = await resolveRange(db, q);
  return {
    range,
    campaignId: q.campaignId,
    status: q.status,
    after: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
  };
}

export const conversionsApi = new Hono<AppEnv>().get("/", validate("query", conversionsQuery), async (c) => {
  const q = c.req.valid("query");
  const query = await conversionsListQuery(c.var.db, q);
  if (q.format === "csv") return conversionsCsv(c, c.var.db, query, q.limit);
  return c.json(await listConversions(c.var.db, { ...query, limit: q.limit ?? DEFAULT_LIMIT }));
});
