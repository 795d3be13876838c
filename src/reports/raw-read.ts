import { rawAttributeValue } from "../visits/dims";
import { clickOffer, EVENT_DELTA, eventOffer, visitOf } from "../visits/rollup-sql";
import { int, localDayExpr, localHourExpr } from "./buckets";
import { add, type Counts, countsOfRow, ZERO } from "./metrics";
import type { DateRange } from "./range";
import type { EntityDimension } from "./types";

export type RawKey =
  | { by: "entity"; name: EntityDimension }
  | { by: "attribute"; column: string }
  | { by: "type" }
  | { by: "day" }
  | { by: "hour" }
  | { by: "none" };

/** Every filter at once: drill-downs with several attribute filters read raw visits. */
export interface RawSelection {
  entities: { name: EntityDimension; id: number }[];
  hour?: number;
  /** Attribute columns and dictionary ids; null = no value, undefined = any value; -1 matches nothing. */
  attributes: { column: string; value?: number | null }[];
  /** A conversion type id, null = the default type; narrows conversions only. */
  type?: number | null;
}

export type Source = "visit" | "click" | "event";
const SOURCES: readonly Source[] = ["visit", "click", "event"];

/** Entity ids as the rollups keep them: a click or conversion's own offer and lander first. */
function entityExpr(source: Source, name: EntityDimension): string {
  const own = source === "click" ? "lc" : "e";
  switch (name) {
    case "campaign":
      return source === "visit" ? "v.campaign_id" : `${own}.campaign_id`;
    case "trafficSource":
      return "coalesce(v.traffic_source_id, 0)";
    case "offer":
      return source === "visit"
        ? "coalesce(v.offer_id, 0)"
        : source === "click"
          ? clickOffer("lc", "v")
          : eventOffer("e", "v");
    case "lander":
      return source === "visit" ? "coalesce(v.lander_id, 0)" : `coalesce(${own}.lander_id, v.lander_id, 0)`;
    case "path":
      return source === "click" ? "coalesce(lc.path_id, v.path_id, 0)" : "coalesce(v.path_id, 0)";
  }
}

/**
 * Reads raw visits of the retention window, with their lander clicks and conversion events (each
 * joined to its visit by a primary-key seek). Its time grows with the visits in the range.
 */
export class RawReader {
  constructor(
    private readonly d1: D1Database,
    private readonly range: DateRange,
  ) {}

  /** sources: conversions are left out where the rollups already hold them (a report's recent tail). */
  async read(
    sel: RawSelection,
    key: RawKey,
    sources: readonly Source[] = SOURCES,
  ): Promise<Map<number | null, Counts>> {
    const out = new Map<number | null, Counts>();
    const statements = this.statements(sel, key, sources).map((s) => this.d1.prepare(s));
    for (const result of await this.d1.batch<Record<string, number | null>>(statements)) {
      for (const r of result.results) {
        const counts = countsOfRow(r);
        const k = r.k ?? null;
        out.set(k, add(out.get(k) ?? ZERO, counts));
      }
    }
    return out;
  }

  /** The SQL of one read (exposed so tests can EXPLAIN it). */
  statements(sel: RawSelection, key: RawKey, sources: readonly Source[] = SOURCES): string[] {
    return sources.map((s) => this.statement(s, sel, key));
  }

  private statement(source: Source, sel: RawSelection, key: RawKey): string {
    const { start, end } = this.range;
    const time = source === "event" ? "e.at" : "v.created_at";
    // Joined visits are found by their primary key only: "+" keeps SQLite from building an
    // automatic index over raw_visits for the other terms.
    const pin = source === "visit" ? "" : "+";
    const where = [
      `${source === "event" ? "" : pin}${time} >= ${int(start)}`,
      `${source === "event" ? "" : pin}${time} < ${int(end)}`,
      ...sel.entities.map((e) => `${entityExpr(source, e.name)} = ${int(e.id)}`),
      ...sel.attributes.map((a) =>
        a.value === undefined
          ? `${rawAttributeValue(`${pin}v`, a.column)} IS NOT NULL`
          : a.value === null
            ? `${rawAttributeValue(`${pin}v`, a.column)} IS NULL`
            : `${rawAttributeValue(`${pin}v`, a.column)} = ${int(a.value)}`,
      ),
    ];
    if (sel.hour !== undefined) where.push(`${localHourExpr(time, this.range.tz, start, end)} = ${int(sel.hour)}`);
    if (source === "event" && sel.type !== undefined) {
      where.push(sel.type === null ? "e.type_id IS NULL" : `e.type_id = ${int(sel.type)}`);
    }
    const k = this.keyExpr(source, key, time);
    if (source === "visit") {
      return `SELECT ${k} AS k, count(*) AS visits, sum(v.cost_micros) AS cost_micros FROM raw_visits v
        WHERE ${where.join(" AND ")} GROUP BY k`;
    }
    if (source === "click") {
      // Lander clicks count at their visit's time, so the visit range bounds them too.
      return `SELECT ${k} AS k, count(*) AS clicks FROM lander_clicks lc CROSS JOIN raw_visits v ON ${visitOf("lc")}
        WHERE lc.visit_time >= ${int(start - 999)} AND lc.visit_time < ${int(end)} AND ${where.join(" AND ")} GROUP BY k`;
    }
    const sums = Object.entries(EVENT_DELTA).map(([name, expr]) => `sum(${expr}) AS ${name}`);
    return `SELECT ${k} AS k, ${sums.join(", ")}
      FROM conversion_events e LEFT JOIN conversion_types t ON t.id = e.type_id CROSS JOIN raw_visits v ON ${visitOf("e")}
      WHERE ${where.join(" AND ")} GROUP BY k`;
  }

  private keyExpr(source: Source, key: RawKey, time: string): string {
    const { tz, start, end } = this.range;
    switch (key.by) {
      case "entity":
        return entityExpr(source, key.name);
      case "attribute":
        return rawAttributeValue("v", key.column);
      case "type":
        return source === "event" ? "e.type_id" : "NULL";
      case "day":
        return localDayExpr(time, tz, start, end);
      case "hour":
        return localHourExpr(time, tz, start, end);
      case "none":
        return "0";
    }
  }
}
