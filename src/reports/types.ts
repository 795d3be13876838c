import { DIMENSIONS, type ReportKey } from "../model/dimensions";
import { ATTRIBUTE_DIMS, BOT_DIM, CONVERSION_TYPE_DIM } from "../visits/dims";
import type { Metrics, OrderField } from "./metrics";
import type { DateRange } from "./range";

export type { ReportKey } from "../model/dimensions";
export { FILTER_PARAMS } from "../model/dimensions";

/** Entity dimensions: an id column in the rollups and raw visits (0 / null = none). */
export const ENTITY_DIMENSIONS = {
  campaign: { column: "campaign_id", filter: "campaignId" },
  trafficSource: { column: "traffic_source_id", filter: "trafficSourceId" },
  offer: { column: "offer_id", filter: "offerId" },
  lander: { column: "lander_id", filter: "landerId" },
  path: { column: "path_id", filter: "path" },
} as const;
export type EntityDimension = keyof typeof ENTITY_DIMENSIONS;

/** The report dimensions (docs/reports-storage.md), shared by the queries, labels, API and page. */
export const GROUP_BY = DIMENSIONS;

export type GroupBy = string;

export type DimensionKind =
  | { kind: "entity"; name: EntityDimension; column: string }
  | { kind: "time"; name: "day" | "hour" }
  | { kind: "attribute"; name: string; code: number; column: string }
  | { kind: "type"; name: "conversionType"; code: number };

export function dimensionOf(name: string): DimensionKind {
  if (name in ENTITY_DIMENSIONS) {
    const e = name as EntityDimension;
    return { kind: "entity", name: e, column: ENTITY_DIMENSIONS[e].column };
  }
  if (name === "day" || name === "hour") return { kind: "time", name };
  if (name === "conversionType") return { kind: "type", name, code: CONVERSION_TYPE_DIM };
  if (name === "bot") return { kind: "attribute", name, code: BOT_DIM, column: "bot" };
  const attr = ATTRIBUTE_DIMS.find((d) => d.name === name);
  if (!attr) throw new Error(`unknown dimension ${name}`);
  return { kind: "attribute", name, code: attr.code, column: attr.column };
}

export type ReportRow = { key: ReportKey; label: string } & Metrics;

/** Contract D: what the API, the report page and the dashboard ask for. */
export interface ReportQuery {
  range: DateRange;
  groupBy: string;
  /** campaignId, trafficSourceId, offerId, landerId, and one per other dimension (docs/reports-storage.md). */
  filters?: Record<string, string | number | undefined>;
  orderBy?: OrderField;
  order?: "asc" | "desc";
  limit?: number;
}

export interface Report {
  rows: ReportRow[];
  totals: Metrics;
  /** "rollups" (pre-aggregated rows) or "raw" (drill-downs with several attribute filters). */
  engine: "rollups" | "raw";
  /** The group's column title: a var's alias when one traffic source names it. */
  groupByLabel: string | null;
}
