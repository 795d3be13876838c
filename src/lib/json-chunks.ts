import { utf8Length } from "./utf8";

/**
 * D1 takes at most 100 bound parameters and 100 KB per statement, so rows travel as one JSON
 * array parameter that SQLite unpacks with json_each, cut into arrays of at most maxBytes.
 */
export const MAX_JSON_BYTES = 90_000;

/** JSON arrays of the given JSON texts, each at most maxBytes long (a longer single row alone). */
export function jsonChunks(rows: string[], maxBytes = MAX_JSON_BYTES): string[] {
  const out: string[] = [];
  let open: string[] = [];
  let size = 2;
  for (const row of rows) {
    const bytes = utf8Length(row) + 1;
    if (open.length > 0 && size + bytes > maxBytes) {
      out.push(`[${open.join(",")}]`);
      open = [];
      size = 2;
    }
    open.push(row);
    size += bytes;
  }
  if (open.length > 0) out.push(`[${open.join(",")}]`);
  return out;
}
