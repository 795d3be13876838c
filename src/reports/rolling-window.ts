import { formatDay } from "../lib/timezone";
import type { DateRange } from "./range";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The last `hours` ending at `now` as a report range. The report engine counts in quarter hours,
 * so the window reaches back to the start of the quarter hour `hours` before now.
 */
export function windowRange(now: number, hours: number): DateRange {
  const start = now - hours * HOUR_MS;
  return {
    tz: "UTC",
    from: formatDay(Math.floor(start / DAY_MS)),
    to: formatDay(Math.floor((now - 1) / DAY_MS)),
    start,
    end: now,
  };
}
