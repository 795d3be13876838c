import { formatCount, formatMoney, formatPercent } from "../lib/format";

/** How a report number reads on a page: counts, money (4.50) or a ratio in percent (75.00%). */
type Kind = "count" | "money" | "rate" | "percent";

/** The metric columns of a report row (Contract D), in the order pages show them. */
export const METRIC_COLUMNS = [
  { field: "visits", label: "Visits", kind: "count" },
  { field: "clicks", label: "Clicks", kind: "count" },
  { field: "conversions", label: "Conversions", kind: "count" },
  { field: "pending", label: "Pending", kind: "count" },
  { field: "revenue", label: "Revenue", kind: "money" },
  { field: "pendingRevenue", label: "Pending revenue", kind: "money" },
  { field: "cost", label: "Cost", kind: "money" },
  { field: "profit", label: "Profit", kind: "money" },
  { field: "cr", label: "CR", kind: "percent" },
  { field: "ctr", label: "CTR", kind: "percent" },
  // Earnings per click are often fractions of a cent: up to 4 decimals.
  { field: "epc", label: "EPC", kind: "rate" },
  { field: "roi", label: "ROI", kind: "percent" },
] as const satisfies { field: string; label: string; kind: Kind }[];

export type MetricColumn = (typeof METRIC_COLUMNS)[number];
export type MetricField = MetricColumn["field"];

/**
 * The columns the engine answers: a field such as `clicks` shows once the rows carry it, so the
 * page grows with the engine and never shows a number it did not compute.
 */
export function columnsOf(totals: object): MetricColumn[] {
  return METRIC_COLUMNS.filter((c) => c.field in totals);
}

/** A metric as text (lib/format.ts, money in `currency` when given); null (no visits, no cost) reads as a dash. */
export function formatMetric(kind: Kind, value: number | null | undefined, currency?: string | null): string {
  if (value === null || value === undefined) return "—";
  if (kind === "money" || kind === "rate") return formatMoney(value, currency, kind === "rate" ? 4 : undefined);
  return kind === "percent" ? formatPercent(value) : formatCount(value);
}

/** The value of `field` in a row or totals object. */
export const metricOf = (row: object, field: MetricField) =>
  (row as Record<string, number | null | undefined>)[field] ?? null;
