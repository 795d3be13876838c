import type { Db } from "../lib/db";
import { getSettings } from "../model/settings";
import { type ListStats, listQuery, STATS_FIELDS, type StatsEntity, statsByEntity } from "../reports/list-stats";
import { formatMetric, METRIC_COLUMNS, metricOf } from "./columns";
import { RangeForm, readRange } from "./range-form";

/** A list page's figures: the range read from its query (today by default) and each item's stats. */
export interface ListFigures {
  from: string;
  to: string;
  tz: string;
  errors?: string[];
  keep: [string, string][];
  stats?: { of: (id: number) => ListStats; currency: string };
}

/** Reads `from`, `to`, `tz` (and `archived`) as GET /api/… does, and asks the report engine. */
export async function listFigures(db: Db, entity: StatsEntity, query: Record<string, string>): Promise<ListFigures> {
  const keep: [string, string][] = query.archived ? [["archived", query.archived]] : [];
  // A page's own parameters (a template to start from) are not the list's.
  const own = Object.entries(query).filter(([k]) => ["from", "to", "tz", "archived"].includes(k));
  const result = await readRange(db, listQuery, Object.fromEntries(own));
  if (!result.ok) {
    const v = result.values;
    return { from: v.from ?? "", to: v.to ?? "", tz: v.tz ?? "UTC", errors: result.errors, keep };
  }
  const { range } = result;
  const [of, { currency }] = await Promise.all([statsByEntity(db, entity, range), getSettings(db)]);
  return { from: range.from, to: range.to, tz: range.tz, keep, stats: { of, currency } };
}

/** The range picker above a list, with the presets. */
export function FiguresRange({ action, figures }: { action: string; figures: ListFigures }) {
  const { from, to, tz, errors, keep } = figures;
  return (
    <RangeForm action={action} from={from} to={to} tz={tz} errors={errors} keep={keep}>
      {keep.map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
    </RangeForm>
  );
}

const COLUMNS = STATS_FIELDS.map((f) => METRIC_COLUMNS.find((c) => c.field === f)!);

/** Numeric columns of a list table (a Column of components.tsx). */
export const figureColumns: { label: string; num: boolean }[] = COLUMNS.map((c) => ({ label: c.label, num: true }));

/** One item's figures, money in the account currency. */
export function FigureCells({ stats, currency }: { stats: ListStats; currency: string }) {
  return (
    <>
      {COLUMNS.map((c) => (
        <td class="num" data-field={c.field}>
          {formatMetric(c.kind, metricOf(stats, c.field), currency)}
        </td>
      ))}
    </>
  );
}
