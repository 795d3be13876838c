import { jsonChunks } from "../lib/json-chunks";

/**
 * Attribute strings (user agents, cities, var values…) are stored once in `dict` and referred to
 * by id: a raw visit holds a few small integers instead of a few hundred bytes of text, and a
 * rollup key stays an integer. Ids are cached per isolate; only strings never seen by this
 * isolate cost a D1 round trip, and only strings new to D1 cost a write (2 rows: the table and
 * its unique index).
 */
const MAX_CACHED = 50_000;
const ids = new Map<string, number>();
const values = new Map<number, string>();

function remember(value: string, id: number): void {
  if (ids.size >= MAX_CACHED) {
    ids.clear();
    values.clear();
  }
  ids.set(value, id);
  values.set(id, value);
}

/** Ids for these strings, inserting the ones D1 does not hold yet. Idempotent; throws what D1 throws. */
export async function idsFor(d1: D1Database, strings: Iterable<string>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const missing: string[] = [];
  for (const s of strings) {
    const id = ids.get(s);
    if (id === undefined) missing.push(s);
    else out.set(s, id);
  }
  if (missing.length === 0) return out;
  const statements: D1PreparedStatement[] = [];
  for (const chunk of jsonChunks(missing.map((s) => JSON.stringify(s)))) {
    statements.push(
      d1
        .prepare("INSERT INTO dict (value) SELECT value FROM json_each(?1) WHERE true ON CONFLICT DO NOTHING")
        .bind(chunk),
      d1.prepare("SELECT id, value FROM dict WHERE value IN (SELECT value FROM json_each(?1))").bind(chunk),
    );
  }
  const results = await d1.batch<{ id: number; value: string }>(statements);
  for (const r of results) {
    for (const row of r.results ?? []) {
      remember(row.value, row.id);
      out.set(row.value, row.id);
    }
  }
  return out;
}

/** The strings behind these ids (unknown ids are left out). */
export async function valuesFor(d1: D1Database, wanted: Iterable<number>): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const missing: number[] = [];
  for (const id of wanted) {
    const value = values.get(id);
    if (value === undefined) missing.push(id);
    else out.set(id, value);
  }
  for (const chunk of jsonChunks(missing.map(String))) {
    const rows = await d1
      .prepare("SELECT id, value FROM dict WHERE id IN (SELECT value FROM json_each(?1))")
      .bind(chunk)
      .all<{ id: number; value: string }>();
    for (const row of rows.results) {
      remember(row.value, row.id);
      out.set(row.id, row.value);
    }
  }
  return out;
}

/** The id of one string if D1 holds it, without inserting it (for report filters). */
export async function existingId(d1: D1Database, value: string): Promise<number | null> {
  const cached = ids.get(value);
  if (cached !== undefined) return cached;
  const row = await d1.prepare("SELECT id FROM dict WHERE value = ?1").bind(value).first<{ id: number }>();
  if (row) remember(value, row.id);
  return row?.id ?? null;
}
