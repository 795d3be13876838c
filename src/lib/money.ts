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

/** An amount that cannot be negative (a cost): `amountSchema`, then ≥ 0. */
export const nonNegativeAmountSchema = amountSchema.refine((micros) => micros >= 0, "must not be negative");
