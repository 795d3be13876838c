import { BUCKET_MS, BUCKETS_PER_DAY, CONVERSION_TYPE_DIM, ENTITY_DIM, ROLLUP_ATTRIBUTES } from "../visits/dims";
import { applyDeltas, LEVEL_SHIFT, LEVELS, type RollupTable, unappliedEventsIn } from "../visits/rollup-sql";
import { int, isUtcOver, localDayExpr, localHourExpr } from "./buckets";
import { add, COUNT_FIELDS, type Counts, countsOfRow, VISIT_FIELDS, ZERO } from "./metrics";
import type { DateRange } from "./range";
import { type RawKey, RawReader } from "./raw-read";
import { ENTITY_DIMENSIONS, type EntityDimension } from "./types";

/** How rows are grouped: by a column, by local day or hour, or not at all (one group, key 0). */
export type GroupKey = { by: "column"; column: string } | { by: "day" } | { by: "hour" } | { by: "none" };

/** What to add up: entity filters (column = id), an optional local hour, one dimension's rows. */
export interface Selection {
  entities: { column: string; id: number }[];
  hour?: number;
  /** Rows of this dimension: any value (undefined), one value (an id), or "unknown" (null). */
  dim?: { code: number; value?: number | null };
}

/** Terms D1 allows in one compound SELECT. */
const COMPOUND_MAX = 5;
const SUMS = ["visits", "clicks", "cost_micros", "conversions", "revenue_micros", "pending", "pending_revenue_micros"];

/**
 * Reads the rollups: whole UTC days from rollup_d where the cron has folded them, quarter hours
 * from rollup_q for the rest (the range's partial days, the unfolded tail, and every row when a
 * group or filter needs hours or non-UTC days). The time this takes depends on the number of
 * keys per day, not on the number of visits.
 */
export class RollupReader {
  constructor(
    private readonly d1: D1Database,
    private readonly range: DateRange,
    private readonly foldedUntil: number,
    /** Attribute rows of visits and lander clicks from here on are not aggregated yet: read raw. */
    private readonly dimsUntil = 0,
    /** Days before this one are in rollup_l. */
    private readonly levelsUntil = 0,
  ) {}

  /**
   * Sums per key. A conversion-type selection takes its visits from the entity rows (visits have
   * no type) unless typeRowsOnly, which the grouping by type itself uses.
   */
  async read(sel: Selection, key: GroupKey, typeRowsOnly = false): Promise<Map<number, Counts>> {
    const dim = sel.dim;
    if (dim && dim.value === null) {
      // Unknown values have no rows: all rows minus the rows with a known value.
      const all = await this.read({ ...sel, dim: undefined }, key);
      const known = await this.read({ ...sel, dim: { code: dim.code } }, key);
      return subtract(all, known);
    }
    if (dim?.code === CONVERSION_TYPE_DIM && !typeRowsOnly) {
      // Visits have no conversion type: their counters come from the entity rows.
      const visits = await this.read({ ...sel, dim: undefined }, key);
      const typed = await this.raw(sel, key);
      for (const [k, c] of visits) {
        const t = typed.get(k) ?? { ...ZERO };
        for (const f of VISIT_FIELDS) t[f] = c[f];
        t.clicks = c.clicks;
        typed.set(k, t);
      }
      return typed;
    }
    return this.raw(sel, key);
  }

  /**
   * The SQL of one read (exposed so tests can EXPLAIN it): the range's bucket ranges, each a
   * primary-key range, summed per key inside SQLite five at a time (D1's limit on a compound
   * SELECT), so D1 returns a row per group and statement rather than per span.
   */
  statements(sel: Selection, key: GroupKey): string[] {
    const terms = this.segments(key, sel.hour !== undefined).map((s) => this.term(s.table, s.from, s.to, sel, key));
    const out: string[] = [];
    for (let i = 0; i < terms.length; i += COMPOUND_MAX) {
      const union = terms.slice(i, i + COMPOUND_MAX).join(" UNION ALL ");
      out.push(`SELECT k, ${SUMS.map((c) => `sum(${c}) AS ${c}`).join(", ")} FROM (${union}) GROUP BY k`);
    }
    return out;
  }

  /**
   * Conversion events stored but not applied to the rollups yet (the last minutes: the cron
   * applies them, visits/events.ts), as the rollup rows they will add, summed like a term.
   */
  unappliedStatement(sel: Selection, key: GroupKey): string {
    const from = Math.floor(this.range.start / BUCKET_MS);
    const to = Math.ceil(this.range.end / BUCKET_MS);
    const source = unappliedEventsIn(from * BUCKET_MS, to * BUCKET_MS);
    const rows = applyDeltas("rollup_q", source, { rowsOnly: true, dims: [sel.dim?.code ?? ENTITY_DIM] });
    const term = this.term("rollup_q", from, to, sel, key, `(SELECT 0 AS visits, * FROM (${rows}))`);
    return `SELECT k, ${SUMS.map((c) => `sum(${c}) AS ${c}`).join(", ")} FROM (${term}) GROUP BY k`;
  }

  private async raw(sel: Selection, key: GroupKey): Promise<Map<number, Counts>> {
    const statements = [...this.statements(sel, key), this.unappliedStatement(sel, key)].map((s) => this.d1.prepare(s));
    const out = await this.tail(sel, key);
    for (const result of await this.d1.batch<Record<string, number>>(statements)) {
      for (const r of result.results) {
        const counts = countsOfRow(r);
        out.set(r.k!, add(out.get(r.k!) ?? ZERO, counts));
      }
    }
    return out;
  }

  /**
   * Attribute rows not aggregated yet (the last minutes): the raw visits and lander clicks from
   * dims_until on. Conversions are not read: their attribute rows are written as they arrive.
   */
  private async tail(sel: Selection, key: GroupKey): Promise<Map<number, Counts>> {
    const code = sel.dim?.code;
    const out = new Map<number, Counts>();
    const attribute = ROLLUP_ATTRIBUTES.find((d) => d.code === code);
    const start = Math.max(this.range.start, this.dimsUntil);
    if (!attribute || start >= this.range.end) return out;
    const reader = new RawReader(this.d1, { ...this.range, start });
    const entityName = (column: string) =>
      (Object.keys(ENTITY_DIMENSIONS) as EntityDimension[]).find((n) => ENTITY_DIMENSIONS[n].column === column)!;
    const rawKey: RawKey =
      key.by === "column"
        ? key.column === "value"
          ? { by: "attribute", column: attribute.column }
          : { by: "entity", name: entityName(key.column) }
        : key;
    const rows = await reader.read(
      {
        entities: sel.entities.map((e) => ({ name: entityName(e.column), id: e.id })),
        hour: sel.hour,
        attributes: [{ column: attribute.column, value: sel.dim?.value }],
      },
      rawKey,
      ["visit", "click"],
    );
    for (const [k, c] of rows) out.set(k ?? 0, c);
    return out;
  }

  /** One bucket range of one table: the selection's rows, not yet summed. */
  private term(
    table: RollupTable,
    from: number,
    to: number,
    sel: Selection,
    key: GroupKey,
    rows: string = table,
  ): string {
    const where = [
      `dim = ${int(sel.dim?.code ?? ENTITY_DIM)}`,
      `bucket >= ${int(from)}`,
      `bucket < ${int(to)}`,
      ...sel.entities.map((e) => `${e.column} = ${int(e.id)}`),
    ];
    if (typeof sel.dim?.value === "number") where.push(`value = ${int(sel.dim.value)}`);
    if (sel.hour !== undefined) where.push(`${this.hourOf("bucket")} = ${int(sel.hour)}`);
    return `SELECT ${this.keyExpr(table, key)} AS k, ${SUMS.join(", ")} FROM ${rows} WHERE ${where.join(" AND ")}`;
  }

  private keyExpr(table: RollupTable, key: GroupKey): string {
    const { tz, start, end } = this.range;
    switch (key.by) {
      case "column":
        return key.column;
      case "none":
        return "0";
      case "hour":
        return this.hourOf("bucket");
      case "day":
        if (table === "rollup_d") return "bucket";
        return isUtcOver(tz, start, end)
          ? `bucket / ${BUCKETS_PER_DAY}`
          : localDayExpr(`(bucket * ${BUCKET_MS})`, tz, start, end);
    }
  }

  private hourOf(bucket: string): string {
    return localHourExpr(`(${bucket} * ${BUCKET_MS})`, this.range.tz, this.range.start, this.range.end);
  }

  /** Which table answers which buckets of the range. */
  private segments(key: GroupKey, byHour: boolean): { table: RollupTable; from: number; to: number }[] {
    const { tz, start, end } = this.range;
    const sb = Math.floor(start / BUCKET_MS);
    const eb = Math.ceil(end / BUCKET_MS);
    const firstDay = Math.ceil(sb / BUCKETS_PER_DAY);
    const lastDay = Math.floor(eb / BUCKETS_PER_DAY);
    // Hours, and days of a zone off UTC, need quarter hours.
    const quartersOnly = byHour || key.by === "hour" || (key.by === "day" && !isUtcOver(tz, start, end));
    if (quartersOnly || firstDay >= lastDay || this.foldedUntil <= firstDay * BUCKETS_PER_DAY) {
      return [{ table: "rollup_q", from: sb, to: eb }];
    }
    // rollup_d holds, for each day, the quarters before the watermark; rollup_l whole days
    // before levelsUntil, as aligned spans (not for a grouping by day, which needs each day).
    const cut = Math.min(this.foldedUntil, lastDay * BUCKETS_PER_DAY);
    const dayEnd = Math.ceil(cut / BUCKETS_PER_DAY);
    const levelEnd =
      key.by === "day" ? firstDay : Math.max(firstDay, Math.min(this.levelsUntil, Math.floor(cut / BUCKETS_PER_DAY)));
    const out: { table: RollupTable; from: number; to: number }[] = [
      ...spans(firstDay, levelEnd),
      { table: "rollup_d", from: levelEnd, to: dayEnd },
      { table: "rollup_q", from: cut, to: eb },
    ];
    if (sb < firstDay * BUCKETS_PER_DAY) out.push({ table: "rollup_q", from: sb, to: firstDay * BUCKETS_PER_DAY });
    return out.filter((s) => s.from < s.to);
  }
}

/**
 * Days [from, to) as the fewest aligned spans of rollup_l (2^k days starting at a multiple of
 * 2^k, k ≤ 5) plus single days from rollup_d: 30 days take about 8 reads per key, not 30.
 */
export function spans(from: number, to: number): { table: RollupTable; from: number; to: number }[] {
  const out: { table: RollupTable; from: number; to: number }[] = [];
  for (let d = from; d < to; ) {
    let k = LEVELS.at(-1)!;
    while (k > 0 && (d % 2 ** k !== 0 || d + 2 ** k > to)) k--;
    const table: RollupTable = k === 0 ? "rollup_d" : "rollup_l";
    const bucket = k === 0 ? d : (k << LEVEL_SHIFT) + (d >> k);
    const last = out.at(-1);
    // Consecutive single days, or spans of one level, read as one range.
    if (last && last.table === table && last.to === bucket) last.to++;
    else out.push({ table, from: bucket, to: bucket + 1 });
    d += 2 ** k;
  }
  return out;
}

/** a − b per key, keys whose difference is zero left out. */
export function subtract(a: Map<number, Counts>, b: Map<number, Counts>): Map<number, Counts> {
  const out = new Map<number, Counts>();
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const c = add(a.get(k) ?? ZERO, b.get(k) ?? ZERO, -1);
    if (COUNT_FIELDS.some((f) => c[f] !== 0)) out.set(k, c);
  }
  return out;
}
