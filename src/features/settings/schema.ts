import { z } from "zod";
import { cidrListSchema } from "../../lib/cidr";
import { keyedRecord, RESERVED_KEY_MESSAGE, RESERVED_KEYS } from "../../lib/keyed-record";
import { formatRate, isCurrencyCode, parseRate } from "../../lib/money";
import { timeZoneSchema } from "../../lib/timezone";
import { CONVERSION_STATUSES, MAX_STATUS_WORD, normalizeStatusWord, STATUS_WORDS } from "../../model/status";

export const MAX_SECRET_LENGTH = 256;
export const MAX_STATUS_WORDS = 100;
export const MAX_CURRENCY_RATES = 200;

const STATUS_CHOICE = `must be one of ${CONVERSION_STATUSES.join(", ")}`;

/** docs/conversions.md: a network's status word -> status; words compare lower case, built-ins stay as they are. */
export const statusMapSchema = keyedRecord(z.enum(CONVERSION_STATUSES, { error: STATUS_CHOICE })).transform(
  (map, ctx) => {
    const out: Record<string, (typeof CONVERSION_STATUSES)[number]> = {};
    const entries = Object.entries(map);
    if (entries.length > MAX_STATUS_WORDS)
      ctx.addIssue({ code: "custom", message: `at most ${MAX_STATUS_WORDS} words` });
    for (const [key, status] of entries) {
      const word = normalizeStatusWord(key);
      const builtIn = STATUS_WORDS.get(word);
      if (word === "" || word.length > MAX_STATUS_WORD || /\p{Cc}/u.test(word))
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `a word of 1 to ${MAX_STATUS_WORD} printable characters`,
        });
      else if (RESERVED_KEYS.has(word)) ctx.addIssue({ code: "custom", path: [key], message: RESERVED_KEY_MESSAGE });
      else if (builtIn) ctx.addIssue({ code: "custom", path: [key], message: `"${word}" already means ${builtIn}` });
      else out[word] = status;
    }
    return out;
  },
);

/** docs/conversions.md: the account currency, an ISO 4217 code in any case. */
export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCurrencyCode, "must be an ISO 4217 currency code such as USD or EUR");

/** docs/conversions.md: ISO 4217 code -> units of the account currency per unit, kept as exact decimal text. */
export const currencyRatesSchema = keyedRecord(z.union([z.number(), z.string()])).transform((rates, ctx) => {
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

/** PATCH /api/settings, and the settings form through settingsForm below. */
export const settingsPatch = z
  .object({
    // null (or "") clears the secret.
    postbackSecret: z
      .string()
      .max(MAX_SECRET_LENGTH)
      .nullable()
      .transform((s) => (s === null || s.trim() === "" ? null : s.trim())),
    postbackAllowedIps: cidrListSchema,
    timezone: timeZoneSchema,
    statusMap: statusMapSchema,
    currency: currencySchema,
    currencyRates: currencyRatesSchema,
    // Raw visits are kept this many days, then archived to R2 (reports stay exact from rollups).
    visitRetentionDays: z.number().int().min(1).max(3650),
  })
  .partial()
  .strict();

/** A rule across fields, checked on the settings as they would be saved (API and form alike). */
export function mergedSettingsProblem(next: { currency: string; currencyRates: Record<string, string> }) {
  if (Object.hasOwn(next.currencyRates, next.currency))
    return {
      path: `currencyRates.${next.currency}`,
      message: `${next.currency} is the account currency (rate 1); remove it from the rates`,
    };
  return null;
}

/** Form text, one `key = value` (or `key: value`) per line, as an object; a line without one is a key with no value. */
function linesObject(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  // No prototype: a "__proto__" line stays a key, which the schema then refuses by name.
  const out: Record<string, string> = Object.create(null);
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === "") continue;
    const m = /^([^=:]*)[=:](.*)$/.exec(line);
    out[(m ? m[1]! : line).trim()] = m ? m[2]!.trim() : "";
  }
  return out;
}

/** The same object, one line per entry, for the form. */
export const objectLines = (o: Record<string, string>) =>
  Object.entries(o)
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n");

/**
 * The form's text fields as the API body: one IP range per line (commas and spaces also split),
 * one `word = status` and one `CODE = rate` per line. A field the form did not send stays as it is.
 */
export const settingsForm = z.preprocess((input) => {
  const form = input as Record<string, string | undefined>;
  return {
    postbackSecret: form.postbackSecret ?? null,
    postbackAllowedIps: (form.postbackAllowedIps ?? "").split(/[\s,]+/).filter(Boolean),
    timezone: form.timezone,
    statusMap: linesObject(form.statusMap),
    currency: form.currency,
    currencyRates: linesObject(form.currencyRates),
  };
}, settingsPatch);

export const SETTINGS_LABELS = {
  postbackSecret: "Postback secret",
  postbackAllowedIps: "Allowed IPs",
  timezone: "Time zone",
  statusMap: "Status words",
  currency: "Account currency",
  currencyRates: "Exchange rates",
};
