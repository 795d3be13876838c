import { formatDay } from "../lib/timezone";
import { valuesFor } from "../visits/dict";
import { UNKNOWN_COUNTRY } from "./filters";
import type { OrderField } from "./metrics";
import type { DimensionKind, ReportKey, ReportQuery, ReportRow } from "./types";

/** Row keys as the API shows them: ids, "YYYY-MM-DD", hours, attribute strings. */
export async function displayKeys(d1: D1Database, group: DimensionKind, keys: (number | null)[]) {
  const out = new Map<number | null, ReportKey>();
  if (group.kind === "attribute" && group.name === "bot") {
    for (const k of keys) out.set(k, k === 1);
  } else if (group.kind === "attribute") {
    const strings = await valuesFor(
      d1,
      keys.filter((k): k is number => k !== null),
    );
    for (const k of keys) {
      const text = k === null ? null : (strings.get(k) ?? null);
      out.set(k, text === null && group.name === "country" ? UNKNOWN_COUNTRY : text);
    }
  } else {
    for (const k of keys) out.set(k, group.kind === "time" && group.name === "day" && k !== null ? formatDay(k) : k);
  }
  return out;
}

export function orderRows(rows: ReportRow[], group: DimensionKind, query: ReportQuery): ReportRow[] {
  const chronological = group.kind === "time" && query.orderBy === undefined;
  const field: OrderField = query.orderBy ?? (chronological ? "key" : "visits");
  const dir = (chronological ? "asc" : (query.order ?? "desc")) === "asc" ? 1 : -1;
  const compareKeys = (a: ReportKey, b: ReportKey) =>
    a === b
      ? 0
      : a === null
        ? -1
        : b === null
          ? 1
          : typeof a === "number" && typeof b === "number"
            ? a - b
            : String(a).localeCompare(String(b));
  const sorted = [...rows].sort((a, b) => {
    const x = a[field];
    const y = b[field];
    if (x !== y) {
      if (x === null) return 1; // nulls last whatever the direction
      if (y === null) return -1;
      const c =
        field === "key"
          ? compareKeys(x as ReportKey, y as ReportKey)
          : typeof x === "number" && typeof y === "number"
            ? x - y
            : String(x).localeCompare(String(y));
      if (c !== 0) return dir * c;
    }
    return compareKeys(a.key, b.key);
  });
  return sorted.slice(0, query.limit ?? 1000);
}
