import { z } from "zod";

/**
 * Local calendar days in an IANA time zone, cut into UTC instants with Intl only (no tz library):
 * report ranges and day buckets follow DST changes and half-hour offsets exactly.
 */

export const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True for a zone name Intl knows ("Europe/Warsaw", "UTC"); false for anything else. */
export function isValidTimeZone(tz: string): boolean {
  // Names only: Intl would also take offsets such as "+02:00", which are not IANA zones.
  if (typeof tz !== "string" || tz.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(tz)) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/**
 * The one time zone rule, for the settings API and form alike: an IANA name such as
 * "Europe/Berlin". Offsets such as "+02:00" are refused: Intl would take them, but they are not
 * zones (no DST) and the report would not show them.
 */
export const timeZoneSchema = z
  .string()
  .trim()
  .refine(isValidTimeZone, "must be an IANA time zone such as Europe/Berlin or UTC (not an offset like +02:00)");

/** The zone's UTC offset in ms at an instant (Warsaw in summer: +7_200_000). */
export function offsetAt(tz: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(instant)))
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** Days since 1970-01-01 for "YYYY-MM-DD", or null when it is not a real calendar date. */
export function parseDay(text: string): number | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms / DAY_MS : null;
}

export function formatDay(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The local date of an instant in the zone, as "YYYY-MM-DD". */
export function localDay(tz: string, instant: number): string {
  return formatDay(Math.floor((instant + offsetAt(tz, instant)) / DAY_MS));
}

/**
 * The first UTC instant of a local day. Tries the offsets in force a day before and a day after
 * local midnight: a candidate is right when the zone really shows midnight then. When midnight
 * happens twice (clocks back over it) the earlier wins; when it is skipped (clocks forward at
 * midnight, e.g. America/Santiago) the day starts at the jump, the later candidate.
 */
export function dayStart(tz: string, dayNumber: number): number {
  const local = dayNumber * DAY_MS;
  const candidates = [...new Set([offsetAt(tz, local - DAY_MS), offsetAt(tz, local + DAY_MS)])].map((o) => local - o);
  const exact = candidates.filter((t) => t + offsetAt(tz, t) === local);
  return exact.length > 0 ? Math.min(...exact) : Math.max(...candidates);
}

/** A stretch of time [from, to) over which the zone's offset does not change. */
export interface OffsetSegment {
  from: number;
  to: number;
  offset: number;
}

/**
 * Splits [start, end) at the zone's offset changes. Within a segment the local day of an instant
 * t is floor((t + offset) / DAY_MS), which is how reports bucket rows by day in SQL.
 */
export function offsetSegments(tz: string, start: number, end: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let from = start;
  let offset = offsetAt(tz, start);
  // Offsets change at most a few times a year; probing every 12 hours finds each change.
  for (let lo = start; ; ) {
    const hi = Math.min(lo + DAY_MS / 2, end - 1);
    if (hi <= lo) break;
    if (offsetAt(tz, hi) === offset) {
      lo = hi;
      continue;
    }
    const change = firstChange(tz, lo, hi, offset);
    segments.push({ from, to: change, offset });
    from = lo = change;
    offset = offsetAt(tz, change);
  }
  segments.push({ from, to: end, offset });
  return segments;
}

/** Binary search, to the second, for the first instant in (lo, hi] whose offset is not `offset`. */
function firstChange(tz: string, lo: number, hi: number, offset: number): number {
  let l = Math.floor(lo / 1000);
  let h = Math.floor(hi / 1000);
  while (h - l > 1) {
    const mid = Math.floor((l + h) / 2);
    if (offsetAt(tz, mid * 1000) === offset) l = mid;
    else h = mid;
  }
  return h * 1000;
}

/** ISO-8601 with the zone's offset: 2026-03-29T03:30:00.000+02:00. */
export function isoInZone(tz: string, instant: number): string {
  const offset = offsetAt(tz, instant);
  const local = new Date(instant + offset).toISOString().slice(0, 23);
  const abs = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${local}${offset < 0 ? "-" : "+"}${hh}:${mm}`;
}
