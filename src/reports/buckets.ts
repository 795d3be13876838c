import { type SQL, sql } from "drizzle-orm";
import { offsetSegments } from "../lib/timezone";

const DAY_MS = 86_400_000;

function int(n: number): SQL {
  // Inlined, not bound: D1 allows 100 bound parameters and these are our own integers.
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return sql.raw(String(n));
}

/**
 * SQL for the local day (days since 1970-01-01) of an epoch-ms column in `tz`: one branch per
 * stretch of constant UTC offset, so a range across a DST change stays exact and a row costs a
 * comparison or two, not a lookup in a list of day boundaries.
 */
export function localDayNumber(column: SQL, tz: string, start: number, end: number): SQL {
  const segments = offsetSegments(tz, start, end);
  const bucket = (offset: number) => sql`((${column} + ${int(offset)}) / ${int(DAY_MS)})`;
  if (segments.length === 1) return bucket(segments[0]!.offset);
  const branches = segments.slice(0, -1).map((s) => sql`WHEN ${column} < ${int(s.to)} THEN ${bucket(s.offset)}`);
  return sql`(CASE ${sql.join(branches, sql` `)} ELSE ${bucket(segments.at(-1)!.offset)} END)`;
}
