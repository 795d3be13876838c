import { z } from "zod";
import { CONVERSION_STATUSES, MAX_STATUS_WORD, normalizeStatusWord, STATUS_WORDS } from "../../ingest/status";
import { formatRate, isCurrencyCode, parseRate } from "../../lib/money";

/**
 * The §14 settings rules, one schema each, read by PATCH /api/settings (JSON objects) and by the
 * admin form (one `key = value` per line, turned into the same object first).
 */
export const MAX_STATUS_WORDS = 100;
export const MAX_CURRENCY_RATES = 200;

const STATUS_CHOICE = `must be one of ${CONVERSION_STATUSES.join(", ")}`;

export const statusMapSchema = z
  .record(z.string(), z.enum(CONVERSION_STATUSES, { error: STATUS_CHOICE }))
  .transform((map, ctx) => {
    const out: Record<string, (typeof CONVERSION_STATUSES)[number]> = {};
    const entries = Object.entries(map);
    if (entries.length > MAX_STATUS_WORDS)
      ctx.addIssue({ code: "custom", message: `at most ${MAX_STATUS_WORDS} words` });
    for (const [key, status] of entries) {
      const word = normalizeStatusWord(key);
      const builtIn = STATUS_WORDS[word];
      if (word === "" || word.length > MAX_STATUS_WORD || /\p{Cc}/u.test(word))
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `a word of 1 to ${MAX_STATUS_WORD} printable characters`,
        });
      else if (builtIn) ctx.addIssue({ code: "custom", path: [key], message: `"${word}" already means ${builtIn}` });
      else out[word] = status;
    }
    return out;
  });

export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCurrencyCode, "must be an ISO 4217 currency code such as USD or EUR");

export const currencyRatesSchema = z.record(z.string(), z.union([z.number(), z.string()])).transform((rates, ctx) => {
  const out: Record<string, string> = {};
  const entries = Object.entries(rates);
  if (entries.length > MAX_CURRENCY_RATES)
    ctx.addIssue({ code: "custom", message: `at most ${MAX_CURRENCY_RATES} currencies` });
  for (const [key, value] of entries) {
    const code = key.trim().toUpperCase();
    const rate = parseRate(value);
    if (!isCurrencyCode(code))
      ctx.addIssue({ code: "custom", path: [key], message: "is not an ISO 4217 currency code" });
    else if (rate === null)
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: "must be a positive decimal (units of the account currency per unit), at most 10 decimal places",
      });
    else out[code] = formatRate(rate);
  }
  return out;
});

/** Form text, one `key = value` (or `key: value`) per line, into an object for the schemas above. */
export const linesObject = z.string().transform((text, ctx) => {
  const out: Record<string, string> = {};
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const m = /^([^=:]*)[=:](.*)$/.exec(line);
    if (!m) ctx.addIssue({ code: "custom", message: `line ${i + 1}: expected "key = value"` });
    else out[m[1]!.trim()] = m[2]!.trim();
  });
  return out;
});

/** Shown in the form: the same object, one line per entry. */
export const objectLines = (o: Record<string, string>) =>
  Object.entries(o)
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n");

/** A rule across fields, checked on the settings as they would be saved (API and form alike). */
export function mergedSettingsProblem(next: { currency: string; currencyRates: Record<string, string> }) {
  if (Object.hasOwn(next.currencyRates, next.currency))
    return {
      path: `currencyRates.${next.currency}`,
      message: `${next.currency} is the account currency (rate 1); remove it from the rates`,
    };
  return null;
}
