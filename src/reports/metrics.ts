import { microsToDecimal } from "../lib/money";

/** What the report adds up, money in integer micro-units so sums stay exact. */
export interface Counts {
  visits: number;
  conversions: number;
  revenueMicros: number;
  costMicros: number;
}

export const ZERO: Counts = { visits: 0, conversions: 0, revenueMicros: 0, costMicros: 0 };

export function add(a: Counts, b: Partial<Counts>): Counts {
  return {
    visits: a.visits + (b.visits ?? 0),
    conversions: a.conversions + (b.conversions ?? 0),
    revenueMicros: a.revenueMicros + (b.revenueMicros ?? 0),
    costMicros: a.costMicros + (b.costMicros ?? 0),
  };
}

/** Ratios are rounded to 6 decimals: the JSON shows 0.333333, not 0.3333333333333333. */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * SPEC §6 formulas. Money becomes decimal only here, at the edge. cr and epc are null without
 * visits, roi is null without cost (no division by zero in either case).
 */
export function metrics(c: Counts) {
  const profitMicros = c.revenueMicros - c.costMicros;
  return {
    visits: c.visits,
    conversions: c.conversions,
    revenue: microsToDecimal(c.revenueMicros),
    cost: microsToDecimal(c.costMicros),
    profit: microsToDecimal(profitMicros),
    cr: c.visits === 0 ? null : round6(c.conversions / c.visits),
    epc: c.visits === 0 ? null : microsToDecimal(Math.round(c.revenueMicros / c.visits)),
    roi: c.costMicros === 0 ? null : round6(profitMicros / c.costMicros),
  };
}

export type Metrics = ReturnType<typeof metrics>;
