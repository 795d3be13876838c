import { DAY_MS, offsetSegments } from "../lib/timezone";

const HOUR_MS = 3_600_000;

/** An integer for inlining in SQL (D1 binds at most 100 parameters; these are our own integers). */
export function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
}

/**
 * SQL evaluating `f(column + offset)` with the zone's offset in force at each row's instant: one
 * branch per stretch of constant UTC offset, so a range across a DST change stays exact and a row
 * costs a comparison or two, not a lookup in a list of boundaries.
 */
function byOffset(column: string, tz: string, start: number, end: number, f: (shifted: string) => string): string {
  const segments = offsetSegments(tz, start, end);
  const at = (offset: number) => f(`(${column} + ${int(offset)})`);
  if (segments.length === 1) return at(segments[0]!.offset);
  const branches = segments.slice(0, -1).map((s) => `WHEN ${column} < ${int(s.to)} THEN ${at(s.offset)}`);
  return `(CASE ${branches.join(" ")} ELSE ${at(segments.at(-1)!.offset)} END)`;
}

/** The local day (days since 1970-01-01) of an epoch-ms column in `tz`. */
export function localDayExpr(column: string, tz: string, start: number, end: number): string {
  return byOffset(column, tz, start, end, (t) => `(${t} / ${DAY_MS})`);
}

/** The local hour of day (0–23) of an epoch-ms column in `tz`. */
export function localHourExpr(column: string, tz: string, start: number, end: number): string {
  return byOffset(column, tz, start, end, (t) => `((${t} / ${HOUR_MS}) % 24)`);
}

/** True when the zone is at UTC+0 over the whole range: its days are UTC days. */
export function isUtcOver(tz: string, start: number, end: number): boolean {
  return offsetSegments(tz, start, end).every((s) => s.offset === 0);
}
