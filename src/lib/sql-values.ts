import { MAX_JSON_BYTES } from "./json-chunks";

/**
 * Many-row inserts as SQL literals, for the bulk writes (raw visits, conversions and their
 * events, postback log entries): SQLite inserts literal rows faster than it unpacks the same
 * rows from a JSON parameter with one `->>` per column (five times for raw visits' 44 columns;
 * docs/performance.md), and D1 allows only 100 bound parameters. Every value is made a literal
 * here and nowhere else, so nothing a visitor sent can reach the SQL text unquoted.
 */
export type SqlValue = string | number | boolean | null | undefined;

const PLAIN = /^[\x20-\x7e]*$/;
const utf8 = new TextEncoder();

/** One value as an SQLite literal (undefined is NULL, as in JSON); throws on a non-integer number or another type. */
export function sqlLiteral(value: SqlValue): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
    return String(value);
  }
  if (typeof value !== "string") throw new Error(`not a column value: ${typeof value}`);
  // Printable ASCII quoted (a quote doubled: SQLite has no backslash escapes); anything else as
  // its UTF-8 bytes in hex, so the statement is ASCII and control characters never appear in it.
  if (PLAIN.test(value)) return `'${value.replaceAll("'", "''")}'`;
  let hex = "";
  for (const byte of utf8.encode(value)) hex += byte.toString(16).padStart(2, "0");
  return `CAST(X'${hex}' AS TEXT)`;
}

/** One row as `(literal, literal, …)`. */
export const sqlRow = (row: SqlValue[]): string => `(${row.map(sqlLiteral).join(",")})`;

/**
 * `head VALUES (…), (…) tail` statements, each at most maxBytes long (D1 takes 100 KB of SQL per
 * statement); a row longer than that alone. The text is ASCII, so its length is its size.
 */
export function valuesStatements(head: string, rows: SqlValue[][], tail: string, maxBytes = MAX_JSON_BYTES): string[] {
  const out: string[] = [];
  const fixed = head.length + tail.length + 16;
  let open: string[] = [];
  let size = fixed;
  for (const row of rows) {
    const text = sqlRow(row);
    if (open.length > 0 && size + text.length + 1 > maxBytes) {
      out.push(`${head} VALUES ${open.join(",")} ${tail}`);
      open = [];
      size = fixed;
    }
    open.push(text);
    size += text.length + 1;
  }
  if (open.length > 0) out.push(`${head} VALUES ${open.join(",")} ${tail}`);
  return out;
}
