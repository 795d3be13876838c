import { BENCH_SQL_MARK } from "./d1-counter";

/** Rows the bench compares with the requests it saw answered; marked so it is not counted. */
export async function rowCounts(d1: D1Database): Promise<{ visits: number; conversions: number }> {
  const row = await d1
    .prepare(
      `${BENCH_SQL_MARK} SELECT (SELECT count(*) FROM raw_visits) AS visits, (SELECT count(*) FROM conversions) AS conversions`,
    )
    .first<{ visits: number; conversions: number }>();
  return { visits: row?.visits ?? 0, conversions: row?.conversions ?? 0 };
}
