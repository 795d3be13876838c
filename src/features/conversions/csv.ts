import { stringify } from "csv-stringify/sync";

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe; plain numbers such as a -50 correction stay numbers.
 */
export function neutralizeFormula(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
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
    cast: { string: neutralizeFormula, number: (n) => String(n) },
  });
}
