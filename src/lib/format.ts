/**
 * How numbers read on every page: thousands separators, money in the account currency with its
 * sign and its own decimals (USD 2, JPY 0, BHD 3), all through Intl.NumberFormat in one place.
 * The locale is fixed (en-US) so a page reads the same whatever the server's or browser's.
 */
const LOCALE = "en-US";
const formats = new Map<string, Intl.NumberFormat>();

function format(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.NumberFormat(LOCALE, options)));
  return f;
}

/** 1,234,567 */
export const formatCount = (n: number) => format("count", { maximumFractionDigits: 0 }).format(n);

/**
 * $1,234.50 in the account currency (its own decimals); without one (or an unknown code) 1,234.50.
 * `maxDigits` allows more decimals where amounts are fractions of a cent (EPC: $0.0031).
 */
export function formatMoney(n: number, currency?: string | null, maxDigits?: number): string {
  const more = maxDigits === undefined ? {} : { maximumFractionDigits: maxDigits };
  if (currency) {
    try {
      return format(`money:${currency}:${maxDigits}`, { style: "currency", currency, ...more }).format(n);
    } catch {
      // An unknown code falls through to a plain amount.
    }
  }
  return format(`money:${maxDigits}`, { minimumFractionDigits: 2, maximumFractionDigits: maxDigits ?? 2 }).format(n);
}

/** 12.34% from a ratio of 0.1234. */
export const formatPercent = (ratio: number) =>
  format("percent", { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(ratio);
