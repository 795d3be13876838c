import type { Context } from "hono";
import type { Db } from "../../lib/db";
import { csvLines } from "./csv";
import { decodeCursor } from "./cursor";
import { CONVERSION_COLUMNS, type ConversionJson, type ListQuery, listConversions, MAX_LIMIT } from "./queries";

/** A CSV cell holds the extra parameters as their JSON text. */
const csvRows = (rows: ConversionJson[]) =>
  rows.map((r) => ({ ...r, extra: r.extra === null ? null : JSON.stringify(r.extra) }));

/**
 * The CSV answer of the API and of the admin download: with `limit` one page (the next page's
 * cursor in X-Next-Cursor), without it every row of the range.
 */
export async function conversionsCsv(
  c: Context,
  db: Db,
  query: Omit<ListQuery, "limit">,
  limit?: number,
): Promise<Response> {
  const { from, to } = query.range;
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header("Content-Disposition", `attachment; filename="conversions-${from}-${to}.csv"`);
  if (limit !== undefined) {
    const page = await listConversions(db, { ...query, limit });
    if (page.nextCursor) c.header("X-Next-Cursor", page.nextCursor);
    return c.body(csvLines(CONVERSION_COLUMNS, csvRows(page.conversions), { header: true }));
  }
  return c.body(csvStream(db, { ...query, limit: MAX_LIMIT }));
}

/** Reads page by page, so memory stays flat however many rows the range holds. */
function csvStream(db: Db, first: ListQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let query: ListQuery | null = first;
  let header = true;
  return new ReadableStream({
    async pull(controller) {
      if (!query) return controller.close();
      const page = await listConversions(db, query);
      controller.enqueue(encoder.encode(csvLines(CONVERSION_COLUMNS, csvRows(page.conversions), { header })));
      header = false;
      query = page.nextCursor ? { ...query, after: decodeCursor(page.nextCursor) } : null;
    },
  });
}
