// Rows written and bytes stored per visit, through the queue consumer's own code path.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { applyMigrations } from "../lib/servers.mjs";
import { prng, visitRow } from "./model.mjs";
import { d1File, start } from "./server.mjs";

const MESSAGE_VISITS = 50; // an isolate's batch: 50 visits in one queue message
const RATE = 400; // visits per second: 1 billion a month
const CRON_MS = 5 * 60_000; // wrangler.toml: */5 * * * *

async function cron(url, now) {
  const res = await fetch(`${url}/__bench/cron?now=${now}`, { method: "POST" });
  if (!res.ok) throw new Error(`cron failed: ${res.status} ${await res.text()}`);
  return (await res.json()).rowsWrittenAll;
}

/**
 * Writes `visits` generated visits in consumer batches of `batchVisits` (what one queue() call
 * receives), as arriving at 400/s, running the cron every simulated 5 minutes as it runs in
 * production, and reads D1's own rows_written for every statement of both; then the bytes each
 * table holds per visit, from SQLite's dbstat on the database file.
 */
export async function measureWrites(script, { visits, batchVisits }) {
  const persistTo = mkdtempSync(join(tmpdir(), "ct-bench-write-"));
  try {
    const { mf, url } = await start({ script, persistTo });
    await applyMigrations(mf);
    const rnd = prng(42);
    const t0 = Date.now() - 24 * 3_600_000;
    let rows = 0;
    let cronRows = 0;
    let nextCron = t0 + CRON_MS;
    let statements = 0;
    for (let done = 0; done < visits; done += batchVisits) {
      const messages = [];
      for (let m = 0; m < batchVisits / MESSAGE_VISITS; m++) {
        const message = { id: `${Date.now().toString(36)}-${done}-${m}`, rows: [] };
        for (let i = 0; i < MESSAGE_VISITS; i++) {
          const n = done + m * MESSAGE_VISITS + i;
          message.rows.push(visitRow(rnd, t0 + Math.floor((n * 1000) / RATE)));
        }
        messages.push(message);
      }
      const res = await fetch(`${url}/__bench/write`, { method: "POST", body: JSON.stringify(messages) });
      const result = await res.json();
      if (!res.ok || result.visits !== batchVisits) throw new Error(`write failed: ${JSON.stringify(result)}`);
      rows += result.rowsWrittenAll;
      statements += result.statements;
      const simulated = t0 + Math.floor(((done + batchVisits) * 1000) / RATE);
      for (; nextCron <= simulated; nextCron += CRON_MS) cronRows += await cron(url, nextCron);
    }
    // Drain: the last windows aggregated and folded as the following runs would.
    for (let i = 0; i < 4; i++, nextCron += CRON_MS) cronRows += await cron(url, nextCron);
    rows += cronRows;
    await mf.dispose();
    const bytes = tableBytes(d1File(persistTo));
    return {
      visits,
      batchVisits,
      rowsPerVisit: rows / visits,
      cronRowsPerVisit: cronRows / visits,
      consumerRowsPerVisit: (rows - cronRows) / visits,
      statementsPerBatch: statements / (visits / batchVisits),
      rawBytesPerVisit: bytes.raw_visits / visits,
      rollupBytesPerVisit: (bytes.rollup_q + (bytes.rollup_d ?? 0)) / visits,
      dictBytesPerVisit: (bytes.dict + (bytes.sqlite_autoindex_dict_1 ?? 0)) / visits,
    };
  } finally {
    rmSync(persistTo, { recursive: true, force: true });
  }
}

/** Bytes of pages per table and index (SQLite's dbstat). */
export function tableBytes(file) {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const out = {};
    for (const r of db.prepare("SELECT name, sum(pgsize) AS b FROM dbstat GROUP BY name").all()) out[r.name] = r.b;
    return out;
  } finally {
    db.close();
  }
}
