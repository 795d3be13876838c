import { describe, expect, it } from "vitest";
import { learnShares, type OptionFigures, seededRandom } from "../src/features/optimizer/thompson";

/**
 * Traffic simulated with a seeded PRNG: visitors are sent by the current shares, convert at each
 * offer's true rate, and the shares are relearned every `batch` visits (the cron's 5 minutes).
 */
function simulate(rates: number[], opts: { visits: number; batch: number; minShare: number; payouts?: number[] }) {
  const random = seededRandom(42);
  const traffic = seededRandom(7);
  const figures: OptionFigures[] = rates.map((_, id) => ({
    id,
    configured: 100,
    visits: 0,
    conversions: 0,
    revenue: 0,
  }));
  let shares = rates.map(() => 1 / rates.length);
  const history: number[][] = [];
  for (let sent = 0; sent < opts.visits; sent += opts.batch) {
    for (let n = 0; n < opts.batch; n++) {
      let u = traffic();
      let i = 0;
      while (i < shares.length - 1 && u >= shares[i]!) u -= shares[i++]!;
      const f = figures[i]!;
      f.visits++;
      if (traffic() < rates[i]!) {
        f.conversions++;
        f.revenue += opts.payouts?.[i] ?? 1;
      }
    }
    shares = learnShares(figures, { metric: opts.payouts ? "epc" : "cr", minShare: opts.minShare }, random);
    history.push(shares);
  }
  return { shares, history, figures };
}

describe("the optimiser (Thompson sampling, simulated traffic)", () => {
  it("sends most traffic to the offer converting at 5% over the one at 2%, never less than minShare to the other", () => {
    const { shares, history, figures } = simulate([0.05, 0.02], { visits: 20_000, batch: 500, minShare: 0.05 });
    expect(shares[0]).toBeGreaterThan(0.85);
    for (const h of history) expect(h[1]).toBeGreaterThanOrEqual(0.05 - 1e-9);
    expect(figures[0]!.visits).toBeGreaterThan(figures[1]!.visits * 2);
  });

  it("keeps equal offers near equal", () => {
    const { shares, history } = simulate([0.03, 0.03], { visits: 20_000, batch: 500, minShare: 0.05 });
    for (const h of history.slice(-10)) {
      expect(h[0]).toBeGreaterThan(0.3);
      expect(h[0]).toBeLessThan(0.7);
    }
    expect(Math.abs(shares[0]! - shares[1]!)).toBeLessThan(0.4);
  });

  it("earns per click: a lower rate with a larger payout wins on epc", () => {
    const { shares } = simulate([0.05, 0.03], { visits: 20_000, batch: 500, minShare: 0.05, payouts: [1, 4] });
    expect(shares[1]).toBeGreaterThan(0.8);
  });

  it("explores a new offer instead of starving it", () => {
    const old = [
      { id: 1, configured: 100, visits: 5000, conversions: 250, revenue: 250 },
      { id: 2, configured: 100, visits: 5000, conversions: 100, revenue: 100 },
    ];
    const shares = learnShares(
      [...old, { id: 3, configured: 100, visits: 0, conversions: 0, revenue: 0 }],
      { metric: "cr", minShare: 0.02 },
      seededRandom(1),
    );
    expect(shares[2]).toBeGreaterThan(0.1);
    expect(shares[0]).toBeGreaterThan(shares[1]!);
  });

  it("does not hand all traffic to one lucky conversion", () => {
    const shares = learnShares(
      [
        { id: 1, configured: 100, visits: 40, conversions: 1, revenue: 1 },
        { id: 2, configured: 100, visits: 40, conversions: 0, revenue: 0 },
      ],
      { metric: "cr", minShare: 0.05 },
      seededRandom(3),
    );
    expect(shares[0]).toBeLessThan(0.7);
    expect(shares[1]).toBeGreaterThan(0.3);
  });

  it("starts from the configured weights while there is no data", () => {
    const shares = learnShares(
      [
        { id: 1, configured: 300, visits: 0, conversions: 0, revenue: 0 },
        { id: 2, configured: 100, visits: 0, conversions: 0, revenue: 0 },
      ],
      { metric: "epc", minShare: 0 },
      seededRandom(5),
    );
    expect(shares[0]).toBeCloseTo(0.75, 5);
  });
});
