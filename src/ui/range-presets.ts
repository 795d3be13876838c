import { formatDay, localDay, parseDay } from "../lib/timezone";

export interface RangePreset {
  label: string;
  from: string;
  to: string;
}

/**
 * The ranges a buyer asks for most, as local days in `tz` (the settings' zone unless the form
 * says otherwise): today, yesterday, the last 7 and 30 days (today included), this month so far,
 * last month.
 */
export function rangePresets(tz: string, now = Date.now()): RangePreset[] {
  const today = localDay(tz, now);
  const n = parseDay(today)!;
  const firstOfMonth = `${today.slice(0, 8)}01`;
  const lastMonthEnd = parseDay(firstOfMonth)! - 1;
  return [
    { label: "Today", from: today, to: today },
    { label: "Yesterday", from: formatDay(n - 1), to: formatDay(n - 1) },
    { label: "Last 7 days", from: formatDay(n - 6), to: today },
    { label: "Last 30 days", from: formatDay(n - 29), to: today },
    { label: "This month", from: firstOfMonth, to: today },
    { label: "Last month", from: `${formatDay(lastMonthEnd).slice(0, 8)}01`, to: formatDay(lastMonthEnd) },
  ];
}
