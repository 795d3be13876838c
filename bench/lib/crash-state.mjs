// What a killed app left on disk, read straight from the SQLite files Miniflare persists
// (d1/miniflare-D1DatabaseObject/<id>.sqlite, do/clicktrail-IngestShard/<id>.sqlite and the
// namespace's metadata.sqlite, where workerd keeps each object's alarm).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

const OBJECT_FILE = /^[0-9a-f]{64}\.sqlite$/;

function objectFiles(dir) {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => OBJECT_FILE.test(f))
        .map((f) => join(dir, f))
    : [];
}

function count(file, sql) {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return Number(db.prepare(sql).get().n);
  } finally {
    db.close();
  }
}

/** Rows in D1, the shards' decisions and undelivered outbox rows, and the shards' pending alarms. */
export function persistedState(persistTo) {
  const state = { visits: 0, conversions: 0, decisions: 0, outbox: 0, alarms: 0 };
  for (const file of objectFiles(join(persistTo, "d1", "miniflare-D1DatabaseObject"))) {
    state.visits += count(file, "SELECT count(*) AS n FROM raw_visits");
    state.conversions += count(file, "SELECT count(*) AS n FROM conversions");
  }
  const shards = join(persistTo, "do", "clicktrail-IngestShard");
  for (const file of objectFiles(shards)) {
    state.decisions += count(file, "SELECT count(*) AS n FROM decisions");
    state.outbox += count(file, "SELECT count(*) AS n FROM outbox");
  }
  const metadata = join(shards, "metadata.sqlite");
  if (existsSync(metadata)) state.alarms = count(metadata, "SELECT count(*) AS n FROM _cf_ALARM");
  return state;
}
