import { type Dimension, dimensionOfParam, filterParam, isTimeDimension } from "../model/dimensions";
import type { OrderField } from "./metrics";
import type { DateRange } from "./range";

/**
 * What the report page shows, all of it in the URL (bookmarkable) under docs/reports-storage.md's parameter
 * names, so `/admin/report?…` and `/api/report?…` read the same. `filters` keep the order in
 * which they were added: that order is the drill-down path the breadcrumbs show.
 */
export interface DrillView {
  from: string;
  to: string;
  tz: string;
  groupBy: Dimension;
  filters: [param: string, value: string][];
  orderBy?: OrderField;
  order: "asc" | "desc";
  limit: number;
}

export const DEFAULT_LIMIT = 1000;

/** The view of a parsed query; `params` (the raw query) gives the filters their URL order. */
export function viewOf(
  range: DateRange,
  query: { groupBy: Dimension; orderBy?: OrderField; order: "asc" | "desc"; limit: number },
  params: Record<string, string>,
): DrillView {
  const parsed = query as unknown as Record<string, unknown>;
  const filters = Object.keys(params)
    .filter((p) => dimensionOfParam(p) !== undefined && parsed[p] !== undefined)
    .map((p): [string, string] => [p, String(parsed[p])]);
  const { from, to, tz } = range;
  return {
    from,
    to,
    tz,
    groupBy: query.groupBy,
    filters,
    orderBy: query.orderBy,
    order: query.order,
    limit: query.limit,
  };
}

/** The query string of a view (filters in path order; defaults left out). */
export function viewQuery(v: DrillView): string {
  const p = new URLSearchParams({ from: v.from, to: v.to, tz: v.tz, groupBy: v.groupBy });
  for (const [param, value] of v.filters) p.append(param, value);
  if (v.orderBy) p.set("orderBy", v.orderBy);
  if (v.orderBy || v.order !== "desc") p.set("order", v.order);
  if (v.limit !== DEFAULT_LIMIT) p.set("limit", String(v.limit));
  return p.toString();
}

export const viewUrl = (v: DrillView) => `/admin/report?${viewQuery(v)}`;

export const filtersRecord = (v: DrillView) => Object.fromEntries(v.filters);

/** The dimensions already narrowed by a filter. */
export const filteredDimensions = (v: DrillView) => v.filters.map(([p]) => dimensionOfParam(p)!);

/** Opening a row: its value becomes the last filter, and the rows are grouped by `next`. */
export function drillInto(v: DrillView, value: string, next: Dimension): DrillView {
  const param = filterParam(v.groupBy);
  return { ...v, groupBy: next, filters: [...v.filters.filter(([p]) => p !== param), [param, value]] };
}

/**
 * Breadcrumb i keeps the first i filters and groups by the dimension of filter i, the one that
 * was opened from it: it shows that level again as it was before the row was opened.
 */
export function crumbView(v: DrillView, i: number): DrillView {
  const next = v.filters[i];
  return { ...v, filters: v.filters.slice(0, i), groupBy: next ? dimensionOfParam(next[0])! : v.groupBy };
}

/** The order rows are in: the chosen one, else the engine's default (time in time order, else visits). */
export function currentSort(v: DrillView): { field: OrderField; order: "asc" | "desc" } {
  if (v.orderBy) return { field: v.orderBy, order: v.order };
  return isTimeDimension(v.groupBy) ? { field: "key", order: "asc" } : { field: "visits", order: v.order };
}

/** Header links: a new column sorts descending (names ascending); the current one flips. */
export function sortView(v: DrillView, field: OrderField): DrillView {
  const now = currentSort(v);
  if (now.field === field) return { ...v, orderBy: field, order: now.order === "desc" ? "asc" : "desc" };
  return { ...v, orderBy: field, order: field === "key" || field === "label" ? "asc" : "desc" };
}

/** The cost-update form filled with this view's campaign, days, zone and filters (docs/costs.md). */
export function costUpdateUrl(v: DrillView): string {
  const params = new URLSearchParams({ from: v.from, to: v.to, tz: v.tz });
  for (const [p, value] of v.filters) params.set(p, value);
  return `/admin/cost-updates?${params}`;
}
