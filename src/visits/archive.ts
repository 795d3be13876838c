import { getDb } from "../lib/db";
import { DAY_MS } from "../lib/timezone";
import { getSettings } from "../model/settings";
import { adClickIdFields, pickAdClickIds } from "./ad-click-ids";
import { valuesFor } from "./dict";
import { ATTRIBUTE_DIMS } from "./dims";
import { R2Sink } from "./r2-sink";

const PAGE = 1000;
/** Days archived per cron run at most: a backlog (a shortened retention) drains over several runs. */
const DAYS_PER_RUN = 3;

export const archiveKey = (day: number) => `visits/${new Date(day * DAY_MS).toISOString().slice(0, 10)}.ndjson.gz`;

/**
 * Moves raw visits older than visitRetentionDays to R2, one gzip NDJSON file per UTC day, then
 * deletes them (and their lander clicks) from D1. Reports stay exact: they read the rollups. A
 * day is recorded in archived_days before its rows are deleted, so a run cut short resumes with
 * the deletion; rows that reach an archived day later go to an extra file of that day.
 */
export async function archiveDueDays(env: Env, now = Date.now()): Promise<string[]> {
  const { visitRetentionDays } = await getSettings(getDb(env.DB));
  const firstKept = Math.floor((now - visitRetentionDays * DAY_MS) / DAY_MS);
  const done: string[] = [];
  for (let i = 0; i < DAYS_PER_RUN; i++) {
    const oldest = await env.DB.prepare(
      "SELECT min(created_at) AS t, (SELECT dims_until FROM rollup_state WHERE id = 1) AS dims FROM raw_visits",
    ).first<{ t: number | null; dims: number }>();
    if (oldest?.t == null) break;
    const day = Math.floor(oldest.t / DAY_MS);
    // Only days whose attribute rows are aggregated (aggregate.ts) may leave D1.
    if (day >= firstKept || (day + 1) * DAY_MS > oldest.dims) break;
    done.push(await archiveDay(env, day, now));
  }
  return done;
}

async function archiveDay(env: Env, day: number, now: number): Promise<string> {
  const start = day * DAY_MS;
  const end = start + DAY_MS;
  const already = await env.DB.prepare("SELECT 1 AS x FROM archived_days WHERE day = ?1").bind(day).first();
  const key = already ? archiveKey(day).replace(".ndjson.gz", `.late-${now}.ndjson.gz`) : archiveKey(day);
  const sink = new R2Sink(env.ARCHIVE, key);
  const count = await writeDay(env.DB, start, end, sink);
  await sink.close();
  // Recorded first, deleted after: a failure in between leaves rows the next run deletes.
  await env.DB.prepare(
    `INSERT INTO archived_days (day, object_key, visits, archived_at) VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT (day) DO UPDATE SET visits = visits + excluded.visits`,
  )
    .bind(day, archiveKey(day), count, now)
    .run();
  // An hour at a time: each statement stays well under D1's 30 s limit.
  for (let h = start; h < end; h += DAY_MS / 24) {
    await env.DB.batch([
      env.DB.prepare("DELETE FROM raw_visits WHERE created_at >= ?1 AND created_at < ?2").bind(h, h + DAY_MS / 24),
      env.DB.prepare("DELETE FROM lander_clicks WHERE visit_time >= ?1 AND visit_time < ?2").bind(h, h + DAY_MS / 24),
    ]);
  }
  return key;
}

type Row = Record<string, string | number | null>;

/** Every visit of [start, end) as one JSON line, with its lander clicks; returns the count. */
async function writeDay(d1: D1Database, start: number, end: number, sink: R2Sink): Promise<number> {
  const gzip = new CompressionStream("gzip");
  const writer = gzip.writable.getWriter();
  const pump = sink.drain(gzip.readable);
  // Should R2 fail, the next write fails too instead of waiting forever for a reader.
  pump.catch((err) => writer.abort(err).catch(() => {}));
  const utf8 = new TextEncoder();
  let count = 0;
  let after: [number, string] = [start - 1, ""];
  for (;;) {
    const page = await d1
      .prepare(
        `SELECT * FROM raw_visits WHERE (created_at, click_id) > (?1, ?2) AND created_at < ?3
         ORDER BY created_at, click_id LIMIT ${PAGE}`,
      )
      .bind(after[0], after[1], end)
      .all<Row>();
    const rows = page.results;
    if (rows.length === 0) break;
    const first = Number(rows[0]!.created_at);
    const last = rows.at(-1)!;
    const clicks = await d1
      .prepare("SELECT * FROM lander_clicks WHERE visit_time >= ?1 AND visit_time <= ?2")
      .bind(Math.floor(first / 1000) * 1000, Number(last.created_at))
      .all<Row>();
    const clicksOf = new Map<string, Row[]>();
    for (const c of clicks.results) clicksOf.set(String(c.click_id), [...(clicksOf.get(String(c.click_id)) ?? []), c]);
    const ids = rows.flatMap((r) => [r.user_agent, ...ATTRIBUTE_DIMS.map((d) => r[d.column])]);
    const strings = await valuesFor(
      d1,
      ids.filter((x): x is number => typeof x === "number"),
    );
    const text = (x: unknown) => (typeof x === "number" ? (strings.get(x) ?? null) : null);
    const lines = rows.map((r) => {
      const line = {
        clickId: r.click_id,
        time: new Date(Number(r.created_at)).toISOString(),
        campaignId: r.campaign_id,
        trafficSourceId: r.traffic_source_id,
        offerId: r.offer_id,
        landerId: r.lander_id,
        pathId: r.path_id,
        ruleId: r.rule_id,
        externalId: r.external_id,
        costMicros: r.cost_micros,
        ip: r.ip,
        asn: r.asn,
        bot: r.bot === 1,
        userAgent: text(r.user_agent),
        ...Object.fromEntries(ATTRIBUTE_DIMS.map((d) => [d.name, text(r[d.column])])),
        ...adClickIdFields(pickAdClickIds(r)),
        landerClicks: (clicksOf.get(String(r.click_id)) ?? []).map((c) => ({
          time: new Date(Number(c.created_at)).toISOString(),
          landerId: c.lander_id,
          pathId: c.path_id,
          offerId: c.offer_id,
        })),
      };
      return JSON.stringify(line);
    });
    await writer.write(utf8.encode(`${lines.join("\n")}\n`));
    count += rows.length;
    after = [Number(last.created_at), String(last.click_id)];
  }
  await writer.close();
  await pump;
  return count;
}
