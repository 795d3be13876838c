/**
 * The report pages' seam to the engine (drill-down, dashboard, CSV): Contract D's query
 * (docs/reports-storage.md's groupBy, filters, orderBy, order, limit) in, rows and totals or a refusal out.
 * The pages read the API's own query (schema.ts reportQuery).
 */
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";
import type { Dimension } from "../model/dimensions";
import { labelsFor } from "./labels";
import type { Metrics, OrderField } from "./metrics";
import { type ReportRow, runReport } from "./queries";
import type { DateRange } from "./range";
import { dimensionOf } from "./types";

/** Contract D's query. */
export interface DrillQuery {
  range: DateRange;
  groupBy: Dimension;
  filters: Record<string, string | number>;
  orderBy?: OrderField;
  order?: "asc" | "desc";
  limit?: number;
}

export type DrillAnswer = { ok: true; rows: ReportRow[]; totals: Metrics } | { ok: false; unavailable: string };

/** Rows and totals for a Contract D query from the report engine; a refused query says why. */
export async function runDrill(db: Db, query: DrillQuery): Promise<DrillAnswer> {
  try {
    const { range, groupBy, filters, orderBy, order, limit } = query;
    const report = await runReport(db, { range, groupBy, filters, orderBy, order, limit });
    return { ok: true, rows: report.rows, totals: report.totals };
  } catch (err) {
    if (err instanceof ApiError && err.code === "invalid_parameter") return { ok: false, unavailable: err.message };
    throw err;
  }
}

/** A filter value's human name for the breadcrumbs (entity, path and type names, countries). */
export async function labelOf(db: Db, dim: Dimension, value: string): Promise<string> {
  if (value === "") return "(none)";
  const kind = dimensionOf(dim).kind;
  if (kind !== "entity" && kind !== "type" && dim !== "country") return value;
  const key = dim === "country" ? value : value === "default" ? null : Number(value);
  return (await labelsFor(db, dim, [key])).get(key) ?? value;
}
