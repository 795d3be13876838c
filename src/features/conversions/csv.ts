import { stringify } from "csv-stringify/sync";

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;
// After a line break inside a cell: what a tool splitting lines naively would read as a new row.
const FORMULA_AFTER_BREAK = /([\r\n])(?=[=+\-@\t])/g;

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe, and so does each line of it after a CR or LF; plain numbers such as a -50
 * correction stay numbers.
 */
export function neutralizeFormula(value: string): string {
  const guarded = value.replace(FORMULA_AFTER_BREAK, "$1'");
  return FORMULA_START.test(guarded) && !PLAIN_NUMBER.test(guarded) ? `'${guarded}` : guarded;
}

/** RFC 4180 CSV lines (CRLF, quoted when needed) for rows with the given columns, in that order. */
export function csvLines<K extends string>(
  columns: readonly K[],
  rows: Record<K, string | number | null>[],
  opts: { header: boolean },
): string {
  return stringify(rows, {
    columns: columns as unknown as string[],
    header: opts.header,
    record_delimiter: "\r\n",
    // A bare CR or LF must be quoted too, or it starts a new row (csv-stringify checks CRLF only).
    quoted_match: /[\r\n]/,
    cast: { string: neutralizeFormula, number: (n) => String(n) },
  });
}
