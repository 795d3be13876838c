import { Hono } from "hono";
import { z } from "zod";
import { decodeCursor } from "../conversions/cursor";
import { csvLines } from "../conversions/csv";
import { CONVERSION_COLUMNS, DEFAULT_LIMIT, listConversions, MAX_LIMIT, type ListQuery } from "../conversions/queries";
import type { Db } from "../lib/db";
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
  const base = { range, campaignId: q.campaignId, after: q.cursor === undefined ? undefined : decodeCursor(q.cursor) };
  if (q.format === "json") return c.json(await listConversions(c.var.db, { ...base, limit: q.limit ?? DEFAULT_LIMIT }));

  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header("Content-Disposition", `attachment; filename="conversions-${range.from}-${range.to}.csv"`);
  if (q.limit !== undefined) {
    // One page, like the JSON answer; the next page's cursor travels in a header.
    const page = await listConversions(c.var.db, { ...base, limit: q.limit });
    if (page.nextCursor) c.header("X-Next-Cursor", page.nextCursor);
    return c.body(csvLines(CONVERSION_COLUMNS, page.conversions, { header: true }));
  }
  return c.body(csvStream(c.var.db, { ...base, limit: MAX_LIMIT }));
});

/** The whole range as CSV, read page by page so memory stays flat however many rows there are. */
function csvStream(db: Db, first: ListQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let query: ListQuery | null = first;
  let header = true;
  return new ReadableStream({
    async pull(controller) {
      if (!query) return controller.close();
      const page = await listConversions(db, query);
      controller.enqueue(encoder.encode(csvLines(CONVERSION_COLUMNS, page.conversions, { header })));
      header = false;
      query = page.nextCursor ? { ...query, after: decodeCursor(page.nextCursor) } : null;
    },
  });
}
