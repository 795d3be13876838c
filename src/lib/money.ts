import { z } from "zod";

/** Money is stored as integers of micro-units: 1.5 -> 1_500_000. */
export const MICROS_PER_UNIT = 1_000_000;
/** Largest accepted amount (in units) so every sum of micro-units stays an exact integer. */
export const MAX_AMOUNT = 1_000_000_000;

const DECIMAL = /^([+-]?)(\d{1,10})(?:\.(\d{1,6}))?$/;

/**
 * Parses a decimal ("12", "-0.5", "3.000001") into micro-units exactly, without going through
 * float arithmetic. Returns null for anything else (exponents, NaN, Infinity, >6 decimals).
 */
export function parseMicros(input: string | number): number | null {
  const text = typeof input === "number" ? numberToPlain(input) : input.trim();
  if (text === null) return null;
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const whole = Number(m[2]);
  if (whole > MAX_AMOUNT) return null;
  const frac = Number((m[3] ?? "").padEnd(6, "0"));
  const micros = whole * MICROS_PER_UNIT + frac;
  if (micros > MAX_AMOUNT * MICROS_PER_UNIT) return null;
  // "-0" and "-0.0" are plain zero.
  return m[1] === "-" && micros !== 0 ? -micros : micros;
}

function numberToPlain(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  // String(1e-7) is "1e-7": exponent forms fall outside the 6-decimal grid and are rejected.
  return String(n);
}

export function microsToDecimal(micros: number): number {
  return micros / MICROS_PER_UNIT;
}

/** zod schema for an API amount: a JSON number (or numeric string) -> micro-units. */
export const amountSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const micros = parseMicros(value);
  if (micros === null) {
    ctx.addIssue({
      code: "custom",
      message: `must be a decimal number with at most 6 decimal places and at most ${MAX_AMOUNT} in size`,
    });
    return z.NEVER;
  }
  return micros;
});

/**
 * An exchange rate: units of the account currency per unit of another, held exactly as an
 * integer of RATE_SCALE-ths (1.08 -> 10_800_000_000n), so conversion never touches floats.
 */
export type Rate = bigint;
export const RATE_DECIMALS = 10;
const RATE_SCALE = 10n ** BigInt(RATE_DECIMALS);
/** Largest accepted rate (an account in a currency a million times smaller still fits). */
export const MAX_RATE = 1_000_000;
const RATE = /^(\d{1,7})(?:\.(\d{1,10}))?$/;

/** "1.08" or 1.08 -> a Rate; null unless a positive decimal of at most 10 places up to MAX_RATE. */
export function parseRate(input: string | number): Rate | null {
  const text = typeof input === "number" ? numberToPlain(input) : input.trim();
  const m = text === null ? null : RATE.exec(text);
  if (!m) return null;
  const rate = BigInt(m[1]!) * RATE_SCALE + BigInt((m[2] ?? "").padEnd(RATE_DECIMALS, "0"));
  return rate > 0n && rate <= BigInt(MAX_RATE) * RATE_SCALE ? rate : null;
}

/** The shortest decimal text of a Rate ("1.08"). */
export function formatRate(rate: Rate): string {
  const whole = rate / RATE_SCALE;
  const frac = (rate % RATE_SCALE).toString().padStart(RATE_DECIMALS, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : String(whole);
}

/**
 * micros × rate, rounded half to even at the micro-unit (1.0000005 -> 1.000000, 1.0000015 ->
 * 1.000002: no drift up or down over many conversions). Null when the result leaves the
 * accepted range (±MAX_AMOUNT units).
 */
export function convertMicros(micros: number, rate: Rate): number | null {
  const product = BigInt(micros) * rate;
  const negative = product < 0n;
  const abs = negative ? -product : product;
  let quotient = abs / RATE_SCALE;
  const twice = (abs % RATE_SCALE) * 2n;
  if (twice > RATE_SCALE || (twice === RATE_SCALE && quotient % 2n === 1n)) quotient += 1n;
  if (quotient > BigInt(MAX_AMOUNT * MICROS_PER_UNIT)) return null;
  const result = Number(quotient);
  return negative && result !== 0 ? -result : result;
}

// ISO 4217 codes as the runtime's ICU knows them (current currencies, about 160).
let currencyCodes: Set<string> | undefined;

/** True for an ISO 4217 code in use ("EUR"), upper case. */
export function isCurrencyCode(code: string): boolean {
  currencyCodes ??= new Set(Intl.supportedValuesOf("currency"));
  return currencyCodes.has(code);
}

/** An amount that cannot be negative (a cost): `amountSchema`, then ≥ 0. */
export const nonNegativeAmountSchema = amountSchema.refine((micros) => micros >= 0, "must not be negative");

/**
 * Splits `amount` micro-units over parts in proportion to `weights` (largest remainder): each
 * share is a whole micro-unit and the shares sum to exactly `amount`. Ties go to the earlier part.
 */
export function splitMicros(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, w) => a + w, 0);
  if (total <= 0) return weights.map(() => 0);
  // BigInt: amount × weight can pass 2^53 (10^15 micro-units × a billion visits).
  const big = BigInt(amount);
  const bigTotal = BigInt(total);
  const shares = weights.map((w) => (big * BigInt(w)) / bigTotal);
  const remainders = weights.map((w, i) => ({ i, r: (big * BigInt(w)) % bigTotal }));
  let left = amount - shares.reduce((a, s) => a + Number(s), 0);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  const out = shares.map(Number);
  for (const { i } of remainders) {
    if (left <= 0) break;
    out[i]! += 1;
    left -= 1;
  }
  return out;
}
