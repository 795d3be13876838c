import { microsToDecimal } from "../lib/money";

/** What the report adds up, money in integer micro-units so sums stay exact. */
export interface Counts {
  visits: number;
  clicks: number;
  costMicros: number;
  conversions: number;
  revenueMicros: number;
  pending: number;
  pendingRevenueMicros: number;
}

export const COUNT_FIELDS = [
  "visits",
  "clicks",
  "costMicros",
  "conversions",
  "revenueMicros",
  "pending",
  "pendingRevenueMicros",
] as const satisfies readonly (keyof Counts)[];

/** The counters a visit moves; the others come from lander clicks' and conversions' deltas. */
export const VISIT_FIELDS = ["visits", "costMicros"] as const;

export const ZERO: Counts = {
  visits: 0,
  clicks: 0,
  costMicros: 0,
  conversions: 0,
  revenueMicros: 0,
  pending: 0,
  pendingRevenueMicros: 0,
};

/** A SQL row's sums (snake_case columns, NULL for none) as Counts. */
export function countsOfRow(r: Record<string, number | null | undefined>): Counts {
  return {
    visits: r.visits ?? 0,
    clicks: r.clicks ?? 0,
    costMicros: r.cost_micros ?? 0,
    conversions: r.conversions ?? 0,
    revenueMicros: r.revenue_micros ?? 0,
    pending: r.pending ?? 0,
    pendingRevenueMicros: r.pending_revenue_micros ?? 0,
  };
}

export function add(a: Counts, b: Partial<Counts>, sign = 1): Counts {
  const out = { ...a };
  for (const f of COUNT_FIELDS) out[f] += sign * (b[f] ?? 0);
  return out;
}

export const isZero = (c: Counts) => COUNT_FIELDS.every((f) => c[f] === 0);

/** Ratios are rounded to 6 decimals: the JSON shows 0.333333, not 0.3333333333333333. */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * docs/admin-api.md, docs/reports-storage.md formulas. Money becomes decimal only here, at the edge. cr, ctr and epc are null
 * without visits, roi is null without cost (no division by zero in any case).
 */
export function metrics(c: Counts) {
  const profitMicros = c.revenueMicros - c.costMicros;
  return {
    visits: c.visits,
    clicks: c.clicks,
    conversions: c.conversions,
    revenue: microsToDecimal(c.revenueMicros),
    pending: c.pending,
    pendingRevenue: microsToDecimal(c.pendingRevenueMicros),
    cost: microsToDecimal(c.costMicros),
    profit: microsToDecimal(profitMicros),
    cr: c.visits === 0 ? null : round6(c.conversions / c.visits),
    ctr: c.visits === 0 ? null : round6(c.clicks / c.visits),
    epc: c.visits === 0 ? null : microsToDecimal(Math.round(c.revenueMicros / c.visits)),
    roi: c.costMicros === 0 ? null : round6(profitMicros / c.costMicros),
  };
}

export type Metrics = ReturnType<typeof metrics>;

/** Row fields a report can be ordered by. */
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
