/**
 * The one seam between the report pages (drill-down, dashboard, CSV) and the report engine.
 * The pages speak Contract D (SPEC §12's groupBy, filters, orderBy, order, limit); today's
 * engine answers only campaign/offer/day/country/conversionType grouped reports filtered by
 * campaign, so this file fills the gap until the new engine lands. At that merge:
 * `drillQuery` becomes the API's `reportQuery` and ORDER_FIELDS the engine's, `runDrill` calls
 * `runReport(db, query)` as it is (its rows already sorted and cut), `labelOf` calls the
 * engine's `labelsFor`, and everything marked UNTIL-ENGINE goes. (Var aliases: ./aliases.ts.)
 */
import { z } from "zod";
import { getLander } from "../features/landers/queries";
import { getTrafficSource } from "../features/traffic-sources/queries";
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";
import { DIMENSIONS, type Dimension, dimensionOfParam } from "./dimensions";
import { labelsFor } from "./labels";
import type { Metrics } from "./metrics";
import { type ReportRow, runReport } from "./queries";
import { type DateRange, rangeQuery } from "./range";
import { reportQuery } from "./schema";

/** Row fields a report can be ordered by (Contract D's row). */
export const ORDER_FIELDS = [
  "key",
  "label",
  "visits",
  "clicks",
  "conversions",
  "revenue",
  "pending",
  "pendingRevenue",
  "cost",
  "profit",
  "cr",
  "ctr",
  "epc",
  "roi",
] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

const id = z.coerce.number().int().positive().max(0xffffffff);
const value = z.string().max(1000);
/** Dimensions filtered by their text value: every one but the entities, path, day, hour and type. */
const ATTRIBUTES = DIMENSIONS.filter(
  (d) => dimensionOfParam(d) === d && !["path", "day", "hour", "conversionType"].includes(d),
);

/** UNTIL-ENGINE: the page's query, SPEC §12's parameters; at merge this is `reportQuery` itself. */
export const drillQuery = reportQuery.extend({
  groupBy: z.enum(DIMENSIONS).default("campaign"),
  trafficSourceId: id.optional(),
  offerId: id.optional(),
  landerId: id.optional(),
  path: id.optional(),
  day: rangeQuery.shape.from,
  hour: z.coerce.number().int().min(0).max(23).optional(),
  ...Object.fromEntries(ATTRIBUTES.map((d) => [d, value.optional()])),
  conversionType: z.union([z.literal("default"), id]).optional(),
  orderBy: z.enum(ORDER_FIELDS).optional(),
  order: z.enum(["asc", "desc"]).default("desc"),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

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

// UNTIL-ENGINE: what today's engine answers; everything else is "not available yet".
const _KNOWN_FILTERS = new Set(["campaignId", "day"]);

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

/** A filter value's human name for the breadcrumbs (entity and type names, countries). */
export async function labelOf(db: Db, dim: Dimension, value: string): Promise<string> {
  if (value === "") return "(none)";
  if (dim === "campaign" || dim === "offer" || dim === "conversionType" || dim === "country") {
    const key = dim === "country" ? value : value === "default" ? null : Number(value);
    return (await labelsFor(db, dim, [key])).get(key) ?? value;
  }
  // UNTIL-ENGINE: the engine's labelsFor names sources and landers (and paths) too.
  if (dim === "trafficSource") return (await getTrafficSource(db, Number(value)))?.name ?? value;
  if (dim === "lander") return (await getLander(db, Number(value)))?.name ?? value;
  return value;
}
