import { z } from "zod";
import { isCurrencyCode, MAX_AMOUNT, parseMicros } from "../lib/money";
import { CONVERSION_TYPE_NAME } from "../model/conversion-type";
import type { ConversionField } from "./types";

/** Field parsers of docs/conversions.md. Each returns the parsed value or an error message (no field name). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** One limit and one message for the postback, the pixel and the upload alike. */
export const MAX_TXID_LENGTH = 128;
/**
 * Payout caps, in units of the account currency. Rollups and reports add payouts up in 64-bit
 * integers of micro-units read back as JavaScript numbers, exact up to 2^53 (about 9.007 billion
 * units). One conversion may carry at most MAX_PAYOUT and one click ID's conversions at most
 * MAX_CLICK_PAYOUTS in all (absolute values, checked by its shard as it decides), so no stored sum
 * leaves that range before more than 900 click IDs have each been pushed to the cap.
 */
export const MAX_PAYOUT = 1_000_000;
export const MAX_CLICK_PAYOUTS = 10_000_000;
export const MAX_PAYOUT_MICROS = MAX_PAYOUT * 1_000_000;
export const MAX_CLICK_PAYOUT_MICROS = MAX_CLICK_PAYOUTS * 1_000_000;

/** Longer raw values are rejected before any parsing, so hostile inputs stay cheap. */
export const MAX_RAW_LENGTH = 256;
/** The most characters a raw field may have: the txid's own limit, else MAX_RAW_LENGTH. */
export const maxLength = (field: ConversionField) => (field === "txid" ? MAX_TXID_LENGTH : MAX_RAW_LENGTH);
const tooLong = (max: number) => `must be at most ${max} characters`;

/**
 * Control characters (C0, DEL, C1: NUL, line ends, escapes) and U+FFFD, the mark of bytes that
 * were not UTF-8, are refused in every field and every postback parameter: none belongs in an ID
 * or an amount, and they would reach the admin pages and CSV files.
 */
export const FORBIDDEN_CHARS = /[\p{Cc}\uFFFD]/u;
export const FORBIDDEN_MESSAGE = "must not contain control characters (U+0000–U+001F, U+007F–U+009F) or U+FFFD";

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (message: string): Parsed<never> => ({ ok: false, message });

/** The raw request: strings of bounded length; empty or blank optional fields count as absent. */
const optionalText = (max = MAX_RAW_LENGTH) =>
  z
    .string()
    .max(max, tooLong(max))
    .refine((v) => !FORBIDDEN_CHARS.test(v), FORBIDDEN_MESSAGE)
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

export const rawRequestSchema = z.object({
  clickId: optionalText().transform((v) => v ?? ""),
  payout: optionalText(),
  txid: optionalText(MAX_TXID_LENGTH),
  type: optionalText(),
  time: optionalText(),
  status: optionalText(),
  currency: optionalText(),
});
export type RawRequest = z.output<typeof rawRequestSchema>;

/** Maps a zod failure on the raw request to the first field it names. */
export function firstIssue(error: z.ZodError): { field: ConversionField; message: string } {
  const issue = error.issues[0]!;
  const field = (issue.path[0] as ConversionField | undefined) ?? "clickId";
  return { field, message: issue.code === "invalid_type" ? "must be a string" : issue.message };
}

export function parsePayout(raw: string): Parsed<number> {
  const micros = parseMicros(raw);
  if (micros === null) {
    return fail(`must be a decimal number with at most 6 decimal places, between -${MAX_AMOUNT} and ${MAX_AMOUNT}`);
  }
  return ok(micros);
}

export function parseTxid(raw: string): Parsed<string> {
  if (raw.length > MAX_TXID_LENGTH) return fail(tooLong(MAX_TXID_LENGTH));
  return ok(raw);
}

/** An ISO 4217 code, case-insensitive ("eur" = "EUR"). */
export function parseCurrency(raw: string): Parsed<string> {
  const code = raw.toUpperCase();
  return isCurrencyCode(code) ? ok(code) : fail(`"${raw.slice(0, 16)}" is not an ISO 4217 currency code`);
}

export function checkTypeName(raw: string): Parsed<string> {
  return CONVERSION_TYPE_NAME.test(raw) ? ok(raw) : fail(`unknown conversion type "${raw.slice(0, 64)}"`);
}

// 2011-12-03T10:15[:30[.000]][Z|+01:00|+0100], also with a space for the T, or a bare date
// (midnight). A "+" in an unencoded query string arrives as a space, so a space before the
// offset is read as "+".
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+\- ])(\d{2}):?(\d{2}))?)?$/;

/** ISO-8601 date-time to epoch milliseconds; no offset means UTC. */
export function parseTime(raw: string): Parsed<number> {
  const m = ISO_TIME.exec(raw);
  const invalid = fail("must be an ISO-8601 date-time such as 2011-12-03T10:15:30Z or 2011-12-03T10:15:30+01:00");
  if (!m) return invalid;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const millis = Number((m[7] ?? "").slice(0, 3).padEnd(3, "0"));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const back = new Date(utc);
  // Date.UTC rolls 2011-02-30 over into March; a value that does not survive the round trip is invalid.
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== hour ||
    back.getUTCMinutes() !== minute ||
    back.getUTCSeconds() !== second
  ) {
    return invalid;
  }
  if (!m[9]) return ok(utc);
  const offsetHours = Number(m[10]);
  const offsetMinutes = Number(m[11]);
  if (offsetHours > 23 || offsetMinutes > 59) return invalid;
  const sign = m[9] === "-" ? -1 : 1;
  return ok(utc - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}
