import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/**
 * The optimiser's method (docs/rules.md): Thompson sampling. Each option's rate per visit gets a
 * posterior — Beta for the conversion rate; for earnings per click that Beta times the mean
 * payout, whose inverse has a Gamma posterior (payouts modelled as exponential) — and Monte
 * Carlo draws estimate how often each option is the best. Options within TIE of the best in a
 * draw share that draw's win, so equal options get equal shares rather than a coin-flip winner.
 * The configured weights are the starting point, outweighed as visits come in; every option keeps
 * minShare.
 */
export interface OptionFigures {
  id: number;
  /** The configured weight: the prior share. */
  configured: number;
  visits: number;
  conversions: number;
  /** In the account currency; corrections below 0 count as 0. */
  revenue: number;
}

export interface LearnSettings {
  metric: "epc" | "cr";
  minShare: number;
}

export const DRAWS = 4000;
/** Options within 10% of the draw's best share its win. */
export const TIE = 0.1;
/** The configured weights count as this many visits of evidence. */
export const PRIOR_VISITS = 200;
/** Each option's prior: the pooled rate, worth this many conversions (so a lone conversion moves it little). */
export const PRIOR_CONVERSIONS = 2;
/** Learned weights are integers summing to this, the scale of configured weights. */
export const WEIGHT_SCALE = 10_000;

export type Random = () => number;

/** A seeded uniform [0, 1) source (pure-rand's xoroshiro128+): tests replay it, the cron seeds it anew. */
export function seededRandom(seed: number): Random {
  const rng = xoroshiro128plus(seed);
  return () => uniformFloat64(rng);
}

function normal(random: Random): number {
  // Box–Muller; 1 - u keeps log() away from 0.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, 1) by Marsaglia and Tsang; shapes below 1 through the usual boost. */
export function gamma(shape: number, random: Random): number {
  if (shape < 1) return gamma(shape + 1, random) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(random);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function beta(a: number, b: number, random: Random): number {
  const x = gamma(a, random);
  return x / (x + gamma(b, random));
}

/** Each option's share of the traffic (summing to 1), in the order given. */
export function learnShares(options: OptionFigures[], settings: LearnSettings, random: Random): number[] {
  const k = options.length;
  if (k === 0) return [];
  const figures = options.map((o) => ({
    visits: Math.max(0, o.visits),
    conversions: Math.min(Math.max(0, o.conversions), Math.max(0, o.visits)),
    revenue: Math.max(0, o.revenue),
  }));
  const visits = figures.reduce((s, f) => s + f.visits, 0);
  const conversions = figures.reduce((s, f) => s + f.conversions, 0);
  const revenue = figures.reduce((s, f) => s + f.revenue, 0);
  const pooled = (conversions + 1) / (visits + 2);
  const a0 = PRIOR_CONVERSIONS;
  const b0 = (PRIOR_CONVERSIONS * (1 - pooled)) / pooled;
  // Mean payout prior: the pooled mean payout (Gamma shape 2 on its inverse, so a mean exists).
  const payout = conversions > 0 && revenue > 0 ? revenue / conversions : 1;
  const wins = new Array<number>(k).fill(0);
  const draw = new Array<number>(k);
  for (let n = 0; n < DRAWS; n++) {
    let best = 0;
    for (let i = 0; i < k; i++) {
      const f = figures[i]!;
      const rate = beta(a0 + f.conversions, b0 + f.visits - f.conversions, random);
      const value = settings.metric === "cr" ? rate : rate * ((payout + f.revenue) / gamma(2 + f.conversions, random));
      draw[i] = value;
      if (value > best) best = value;
    }
    const near = draw.filter((v) => v >= (1 - TIE) * best).length;
    for (let i = 0; i < k; i++) if (draw[i]! >= (1 - TIE) * best) wins[i]! += 1 / near;
  }
  const configuredTotal = options.reduce((s, o) => s + Math.max(0, o.configured), 0);
  const shares = options.map((o, i) => {
    const prior = configuredTotal > 0 ? Math.max(0, o.configured) / configuredTotal : 1 / k;
    return (PRIOR_VISITS * prior + visits * (wins[i]! / DRAWS)) / (PRIOR_VISITS + visits);
  });
  const floor = settings.minShare;
  if (k * floor >= 1) return options.map(() => 1 / k);
  return shares.map((s) => floor + (1 - k * floor) * s);
}

/** Shares as integer weights summing to WEIGHT_SCALE (largest remainder), each at least 1. */
export function toWeights(shares: number[]): number[] {
  const exact = shares.map((s) => Math.max(s * WEIGHT_SCALE, 1));
  const out = exact.map(Math.floor);
  let left = WEIGHT_SCALE - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (let j = 0; left > 0 && order.length > 0; j = (j + 1) % order.length, left--) out[order[j]![1]]!++;
  return out;
}
