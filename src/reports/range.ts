import { z } from "zod";
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";
import { dayStart, formatDay, isValidTimeZone, localDay, parseDay } from "../lib/timezone";
import { getSettings } from "../model/settings";

/** Longest accepted range, inclusive of both ends: a leap year. */
export const MAX_RANGE_DAYS = 366;

/** A calendar day written YYYY-MM-DD (report ranges, cost updates). */
export const daySchema = z.string().refine((s) => parseDay(s) !== null, "must be a calendar date written YYYY-MM-DD");

/** Query parameters every report shares: `from`, `to` (inclusive local days) and `tz`. */
export const rangeQuery = z.object({
  from: daySchema.optional(),
  to: daySchema.optional(),
  tz: z.string().refine(isValidTimeZone, "must be an IANA time zone such as UTC or Europe/Warsaw").optional(),
  campaignId: z.coerce.number().int().positive().max(0xffffffff).optional(),
});

export type RangeQuery = z.infer<typeof rangeQuery>;

/** A resolved range: local days [from, to] in `tz`, as the UTC instants [start, end). */
export interface DateRange {
  tz: string;
  from: string;
  to: string;
  start: number;
  end: number;
}

export function badParam(field: string, message: string): ApiError {
  return new ApiError("invalid_parameter", `Invalid query: ${field}: ${message}`, [{ path: field, message }]);
}

/** Fills the defaults (tz from settings, else UTC; today in tz) and checks from ≤ to and the span. */
export async function resolveRange(db: Db, query: RangeQuery, now = Date.now()): Promise<DateRange> {
  const tz = query.tz ?? (await defaultTimeZone(db));
  const today = localDay(tz, now);
  const from = query.from ?? query.to ?? today;
  const to = query.to ?? (query.from ? today : from);
  const fromDay = parseDay(from)!;
  const toDay = parseDay(to)!;
  if (fromDay > toDay) {
    throw query.to
      ? badParam("to", `must not be before from (${from})`)
      : badParam("from", `must not be after today (${to})`);
  }
  if (toDay - fromDay + 1 > MAX_RANGE_DAYS) throw badParam("to", `the range may span at most ${MAX_RANGE_DAYS} days`);
  return { tz, from, to, start: dayStart(tz, fromDay), end: dayStart(tz, toDay + 1) };
}

async function defaultTimeZone(db: Db): Promise<string> {
  const { timezone } = await getSettings(db);
  return isValidTimeZone(timezone) ? timezone : "UTC";
}

/** Every local day of the range, in order. */
export function daysOf(range: DateRange): string[] {
  const out: string[] = [];
  for (let d = parseDay(range.from)!; d <= parseDay(range.to)!; d++) out.push(formatDay(d));
  return out;
}
