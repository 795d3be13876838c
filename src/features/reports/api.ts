import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { validate } from "../../lib/validate";
import { reportFilters, runReport } from "../../reports/queries";
import { resolveRange } from "../../reports/range";
import { reportQuery } from "../../reports/schema";

/** GET /api/report: rows per group and totals over local days [from, to] in tz (SPEC §6, §12). */
export const reportApi = new Hono<AppEnv>().get("/", validate("query", reportQuery), async (c) => {
  const query = c.req.valid("query");
  const range = await resolveRange(c.var.db, query);
  const { orderBy, order, limit, groupBy } = query;
  const report = await runReport(c.var.db, { range, groupBy, filters: reportFilters(query), orderBy, order, limit });
  return c.json({ from: range.from, to: range.to, tz: range.tz, groupBy, ...report });
});
