import { Hono } from "hono";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { validate } from "../../lib/validate";
import { reportFilters, runReport } from "../../reports/queries";
import { resolveRange } from "../../reports/range";
import { type ReportQueryParams, reportQuery } from "../../reports/schema";

/** The report's answer for a validated query: the API and the MCP tool both call this. */
export async function reportFor(db: Db, query: ReportQueryParams) {
  const range = await resolveRange(db, query);
  const { orderBy, order, limit, groupBy } = query;
  const report = await runReport(db, { range, groupBy, filters: reportFilters(query), orderBy, order, limit });
  return { from: range.from, to: range.to, tz: range.tz, groupBy, ...report };
}

/** GET /api/report: rows per group and totals over local days [from, to] in tz (docs/admin-api.md, docs/reports-storage.md). */
export const reportApi = new Hono<AppEnv>().get("/", validate("query", reportQuery.strict()), async (c) =>
  c.json(await reportFor(c.var.db, c.req.valid("query"))),
);
