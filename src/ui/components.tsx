import type { Child } from "hono/jsx";
import { microsToDecimal } from "../lib/money";
import { FigureCells, figureColumns, type ListFigures } from "./list-figures";

/** Decimal text of a micro-unit amount, exact (no float formatting drift for 6 decimals). */
export function money(micros: number): string {
  return String(microsToDecimal(micros));
}

/** Archive / Restore as a one-button POST form (state changes never ride on GET links). */
export function ArchiveButton({ base, id, archived }: { base: string; id: number; archived: boolean }) {
  return (
    <form class="inline" method="post" action={`${base}/${id}/${archived ? "restore" : "archive"}`}>
      <button type="submit" class={archived ? "secondary" : "danger"}>
        {archived ? "Restore" : "Archive"}
      </button>
    </form>
  );
}

/** "Show archived" / "Hide archived" toggle under a list. */
export function ArchivedToggle({ base, showing }: { base: string; showing: boolean }) {
  return (
    <p>
      <a href={showing ? base : `${base}?archived=1`}>{showing ? "Hide archived" : "Show archived"}</a>
    </p>
  );
}

/** A header cell: its text, and whether the column holds numbers (right-aligned). */
export type Column = string | { label: string; num?: boolean };

/**
 * The table every admin list uses: a header row, one row per item and, when `empty` is given
 * and there are no items, that message across all columns.
 */
export function DataTable<T>(props: {
  id?: string;
  columns: Column[];
  rows: T[];
  row: (item: T) => Child;
  empty?: string;
  foot?: Child;
}) {
  const { id, columns, rows, row, empty, foot } = props;
  return (
    <div class="scroll">
      <table id={id}>
        <thead>
          <tr>
            {columns.map((col) =>
              typeof col === "string" ? <th>{col}</th> : <th class={col.num ? "num" : undefined}>{col.label}</th>,
            )}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && empty !== undefined && (
            <tr>
              <td colspan={columns.length} class="muted">
                {empty}
              </td>
            </tr>
          )}
          {rows.map(row)}
        </tbody>
        {foot !== undefined && <tfoot>{foot}</tfoot>}
      </table>
    </div>
  );
}

type Archivable = { id: number; archived: boolean };

/**
 * The list of offers, campaigns or conversion types: ID first, the caller's cells, then Edit
 * and Archive/Restore, with the archived toggle below. `base` is the list page's path.
 */
export function ArchivableTable<T extends Archivable>(props: {
  base: string;
  columns: Column[];
  rows: T[];
  cells: (item: T) => Child;
  empty: string;
  showingArchived: boolean;
  /** Each row's figures for the page's range (list-figures.tsx), after the other columns. */
  figures?: ListFigures;
}) {
  const { base, columns, rows, cells, empty, showingArchived, figures } = props;
  const stats = figures?.stats;
  return (
    <>
      <DataTable
        columns={[{ label: "ID", num: true }, ...columns, ...(stats ? figureColumns : []), ""]}
        rows={rows}
        empty={empty}
        row={(item) => (
          <tr>
            <td class="num">{item.id}</td>
            {cells(item)}
            {stats && <FigureCells stats={stats.of(item.id)} currency={stats.currency} />}
            <td>
              <a class="button secondary" href={`${base}/${item.id}`}>
                Edit
              </a>{" "}
              <ArchiveButton base={base} id={item.id} archived={item.archived} />
            </td>
          </tr>
        )}
      />
      <ArchivedToggle base={base} showing={showingArchived} />
    </>
  );
}

/** A list's name cell, marked when the item is archived. */
export function NameCell({
  name,
  archived,
  mono,
  href,
}: {
  name: string;
  archived: boolean;
  mono?: boolean;
  href?: string;
}) {
  return (
    <td class={mono ? "mono" : undefined}>
      {href ? <a href={href}>{name}</a> : name}
      {archived && <span class="muted"> (archived)</span>}
    </td>
  );
}

/** Money with at least two decimals (4.50), more only when the amount has them (1.125). */
export const amount = (n: number) => ((String(n).split(".")[1]?.length ?? 0) < 2 ? n.toFixed(2) : String(n));

/** The paging link under a log's table (postback log, audit log): the next page, or nothing. */
export function OlderLink({ href, label = "Older entries" }: { href: string | null; label?: string }) {
  if (!href) return null;
  return (
    <p>
      <a href={href}>{label}</a>
    </p>
  );
}
