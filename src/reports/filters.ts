import { dayStart, parseDay } from "../lib/timezone";
import { existingId } from "../visits/dict";
import type { DateRange } from "./range";
import { type DimensionKind, dimensionOf, FILTER_PARAMS } from "./types";

/** Country key for visits without one; Cloudflare uses the same code for "unknown". */
export const UNKNOWN_COUNTRY = "XX";

export interface Filter {
  dim: DimensionKind;
  /** Entity or type id, hour, dictionary id (-1: a value never stored), or null for "none". */
  value: number | null;
}

/** The filter parameters of a parsed report query (docs/reports-storage.md), for runReport. */
export function reportFilters(query: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const name of Object.keys(FILTER_PARAMS)) {
    const v = query[name];
    if (typeof v === "string" || typeof v === "number") out[name] = v;
  }
  return out;
}

/** Filters as dimension ids; a day filter narrows the range instead (null: nothing left). */
export async function parseFilters(
  d1: D1Database,
  query: { range: DateRange; filters?: Record<string, string | number | undefined> },
): Promise<{ range: DateRange | null; filters: Filter[] }> {
  let range: DateRange | null = query.range;
  const filters: Filter[] = [];
  for (const [param, raw] of Object.entries(query.filters ?? {})) {
    if (raw === undefined) continue;
    const name = FILTER_PARAMS[param];
    if (!name) throw new Error(`unknown report filter ${param}`);
    const dim = dimensionOf(name);
    if (dim.kind === "time" && dim.name === "day") {
      range = narrowToDay(range, String(raw));
      continue;
    }
    if (dim.kind === "attribute" && dim.name === "bot") {
      // Bots have rows of value 1; the other visits have none ("unknown").
      filters.push({ dim, value: String(raw) === "true" ? 1 : null });
    } else if (dim.kind === "attribute") {
      const text = String(raw);
      const none = text === "" || (dim.name === "country" && text === UNKNOWN_COUNTRY);
      filters.push({ dim, value: none ? null : ((await existingId(d1, text)) ?? -1) });
    } else if (dim.kind === "type") {
      filters.push({ dim, value: raw === "default" ? null : Number(raw) });
    } else filters.push({ dim, value: Number(raw) });
  }
  return { range, filters };
}

/** The range cut to one of its days (empty when the day is outside it). */
function narrowToDay(range: DateRange | null, day: string): DateRange | null {
  if (!range || day < range.from || day > range.to) return null;
  const n = parseDay(day)!;
  return { ...range, from: day, to: day, start: dayStart(range.tz, n), end: dayStart(range.tz, n + 1) };
}
