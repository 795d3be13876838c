import type { Db } from "../lib/db";
import { dayStart, formatDay, parseDay } from "../lib/timezone";
import { existingId, valuesFor } from "../visits/dict";
import { labelsFor, varAlias } from "./labels";
import { add, type Counts, isZero, type Metrics, metrics, type OrderField, ZERO } from "./metrics";
import { type DateRange, daysOf } from "./range";
import { type RawKey, RawReader } from "./raw-read";
import { type GroupKey, RollupReader, type Selection } from "./rollup-read";
import { type DimensionKind, dimensionOf, FILTER_PARAMS, type ReportKey } from "./types";
import { retentionCheck } from "./window";

/** Country key for visits without one; Cloudflare uses the same code for "unknown". */
export const UNKNOWN_COUNTRY = "XX";

export type ReportRow = { key: ReportKey; label: string } & Metrics;

/** Contract D: what the API, the report page and the dashboard ask for. */
export interface ReportQuery {
  range: DateRange;
  groupBy: string;
  /** campaignId, trafficSourceId, offerId, landerId, and one per other dimension (SPEC §12). */
  filters?: Record<string, string | number | undefined>;
  orderBy?: OrderField;
  order?: "asc" | "desc";
  limit?: number;
}

export interface Report {
  rows: ReportRow[];
  totals: Metrics;
  /** "rollups" (pre-aggregated rows) or "raw" (drill-downs with several attribute filters). */
  engine: "rollups" | "raw";
  /** The group's column title: a var's alias when one traffic source names it. */
  groupByLabel: string | null;
}

interface Filter {
  dim: DimensionKind;
  /** Entity or type id, hour, dictionary id (-1: a value never stored), or null for "none". */
  value: number | null;
}

/** Rows per group and totals over the range (SPEC §6, §12). */
export async function runReport(db: Db, query: ReportQuery): Promise<Report> {
  const d1 = db.$client;
  const group = dimensionOf(query.groupBy);
  const { range, filters } = await parseFilters(d1, query);
  const attributeCodes = new Set<number>();
  if (group.kind === "attribute" || group.kind === "type") attributeCodes.add(group.code);
  for (const f of filters) if (f.dim.kind === "attribute" || f.dim.kind === "type") attributeCodes.add(f.dim.code);
  const engine = attributeCodes.size <= 1 ? "rollups" : "raw";

  let groups: Map<number | null, Counts>;
  let totals: Counts;
  if (range === null) {
    groups = new Map();
    totals = { ...ZERO };
  } else if (engine === "rollups") {
    ({ groups, totals } = await fromRollups(d1, range, group, filters));
  } else {
    await retentionCheck(db, range);
    ({ groups, totals } = await fromRaw(d1, range, group, filters));
  }
  if (group.kind === "time" && group.name === "day") {
    for (const d of daysOf(query.range)) if (!groups.has(parseDay(d)!)) groups.set(parseDay(d)!, { ...ZERO });
  }
  const keys = await displayKeys(d1, group, [...groups.keys()]);
  const labels = await labelsFor(db, group, [...keys.values()]);
  const rows = [...groups].map(([k, counts]) => {
    const key = keys.get(k) ?? null;
    return { key, label: labels.get(key) ?? String(key), ...metrics(counts) };
  });
  return {
    rows: orderRows(rows, group, query),
    totals: metrics(totals),
    engine,
    groupByLabel: await varAlias(db, group, query.filters ?? {}),
  };
}

/** The filter parameters of a parsed report query (SPEC §12), for runReport. */
export function reportFilters(query: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const name of Object.keys(FILTER_PARAMS)) {
    const v = query[name];
    if (typeof v === "string" || typeof v === "number") out[name] = v;
  }
  return out;
}

async function parseFilters(
  d1: D1Database,
  query: ReportQuery,
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
    if (dim.kind === "attribute") {
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

async function fromRollups(
  d1: D1Database,
  range: DateRange,
  group: DimensionKind,
  filters: Filter[],
): Promise<{ groups: Map<number | null, Counts>; totals: Counts }> {
  const state = await d1
    .prepare("SELECT compacted_until AS q, dims_until AS dims, levels_until AS l FROM rollup_state WHERE id = 1")
    .first<{ q: number; dims: number; l: number }>();
  const reader = new RollupReader(d1, range, state?.q ?? 0, state?.dims ?? 0, state?.l ?? 0);
  const base: Selection = { entities: [] };
  let own: Filter | undefined; // a filter on the grouped dimension itself
  for (const f of filters) {
    if (f.dim.kind === "entity") base.entities.push({ column: f.dim.column, id: f.value ?? 0 });
    else if (f.dim.kind === "time") base.hour = f.value ?? 0;
    else if ((group.kind === "attribute" || group.kind === "type") && f.dim.code === group.code) own = f;
    else if (f.dim.kind === "attribute" || f.dim.kind === "type") base.dim = { code: f.dim.code, value: f.value };
  }
  if (group.kind === "entity" || group.kind === "time") {
    const key: GroupKey = group.kind === "entity" ? { by: "column", column: group.column } : { by: group.name };
    const groups = nullForZero(await reader.read(base, key), group.kind === "entity");
    return { groups, totals: sum(groups) };
  }
  const byValue: GroupKey = { by: "column", column: "value" };
  const all = (await reader.read(base, { by: "none" })).get(0) ?? { ...ZERO };
  const groups = new Map<number | null, Counts>();
  if (own?.value !== null) {
    const known = await reader.read({ ...base, dim: { code: group.code, value: own?.value } }, byValue, true);
    for (const [k, c] of known) groups.set(k, group.kind === "type" ? conversionsOnly(c) : c);
  }
  if (own === undefined || own.value === null) {
    // Visits without a value (or conversions of the default type) have no rows of their own.
    const known = own === undefined ? sum(groups) : await knownTotal(reader, base, group.code);
    const unknown = add(all, known, -1);
    const row = group.kind === "type" ? conversionsOnly(unknown) : unknown;
    if (!isZero(row)) groups.set(null, row);
  }
  if (group.kind === "type") return { groups, totals: mergeVisits(sum(groups), all) };
  return { groups, totals: sum(groups) };
}

async function knownTotal(reader: RollupReader, base: Selection, code: number): Promise<Counts> {
  return sum(await reader.read({ ...base, dim: { code } }, { by: "none" }, true));
}

async function fromRaw(
  d1: D1Database,
  range: DateRange,
  group: DimensionKind,
  filters: Filter[],
): Promise<{ groups: Map<number | null, Counts>; totals: Counts }> {
  const reader = new RawReader(d1, range);
  const sel = {
    entities: [] as { name: never; id: number }[],
    attributes: [] as { column: string; value: number | null }[],
    hour: undefined as number | undefined,
    type: undefined as number | null | undefined,
  };
  for (const f of filters) {
    if (f.dim.kind === "entity") sel.entities.push({ name: f.dim.name as never, id: f.value ?? 0 });
    else if (f.dim.kind === "time") sel.hour = f.value ?? 0;
    else if (f.dim.kind === "type") sel.type = f.value;
    else sel.attributes.push({ column: f.dim.column, value: f.value });
  }
  const key: RawKey =
    group.kind === "entity"
      ? { by: "entity", name: group.name }
      : group.kind === "time"
        ? { by: group.name }
        : group.kind === "type"
          ? { by: "type" }
          : { by: "attribute", column: group.column };
  const grouped = await reader.read(sel, key);
  const groups = group.kind === "entity" ? nullForZero(grouped, true) : grouped;
  if (group.kind !== "type") return { groups, totals: sum(groups) };
  const all = (await reader.read(sel, { by: "none" })).get(0) ?? { ...ZERO };
  for (const [k, c] of groups) groups.set(k, conversionsOnly(c));
  return { groups, totals: mergeVisits(sum(groups), all) };
}

const sum = (m: Map<unknown, Counts>) => [...m.values()].reduce((a, c) => add(a, c), { ...ZERO });
const conversionsOnly = (c: Counts): Counts => ({ ...c, visits: 0, clicks: 0, costMicros: 0 });
const mergeVisits = (c: Counts, v: Counts): Counts => ({
  ...c,
  visits: v.visits,
  clicks: v.clicks,
  costMicros: v.costMicros,
});

/** Entity id 0 is "none". */
function nullForZero(m: Map<number | null, Counts>, entity: boolean): Map<number | null, Counts> {
  if (!entity || !m.has(0)) return m;
  const out = new Map(m);
  out.set(null, add(out.get(null) ?? ZERO, out.get(0)!));
  out.delete(0);
  return out;
}

/** Row keys as the API shows them: ids, "YYYY-MM-DD", hours, attribute strings. */
async function displayKeys(d1: D1Database, group: DimensionKind, keys: (number | null)[]) {
  const out = new Map<number | null, ReportKey>();
  if (group.kind === "attribute") {
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

function orderRows(rows: ReportRow[], group: DimensionKind, query: ReportQuery): ReportRow[] {
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
