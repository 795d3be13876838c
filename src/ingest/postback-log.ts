import { getDb } from "../lib/db";
import { logError } from "../lib/log";
import { type BatchOptions, RowBatcher } from "../lib/row-batcher";
import { sqlRow } from "../lib/sql-values";
import type { LogStatus } from "../model/status";
import { pruneLog } from "./postback-log-retention";

// Where the ingest module reads it from; the list itself is in schema.ts.
export type { LogStatus } from "../model/status";

export interface LogEntry {
  receivedAt: number;
  source: "postback" | "pixel";
  ip: string | null;
  params: Record<string, string>;
  /** Field -> the parameter it was read from ({"cid":"subid"}); null when nothing was read. */
  readFrom?: Record<string, string> | null;
  status: LogStatus;
  httpStatus: number;
  reason: string | null;
  conversionId: string | null;
}

const MAX_PARAMS = 30;
const MAX_VALUE = 300;
/** Parameters never stored in clear. */
const MASKED = new Set(["secret"]);
/**
 * Prune when an entry's id crosses a multiple of PRUNE_EVERY: keeps the log bounded (by up to
 * this many entries over its limit) without a cron, at three statements per thousand entries.
 */
const PRUNE_EVERY = 1000;

// Control characters of a refused hit are shown as \uXXXX text, never stored raw.
const CONTROL = /[\p{Cc}]/gu;
const visible = (text: string) => text.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** What is stored of the received parameters: bounded in count and length, the secret masked. */
export function loggableParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(params).slice(0, MAX_PARAMS)) {
    out[visible(key.slice(0, 64))] = MASKED.has(key) ? "***" : visible(value.slice(0, MAX_VALUE));
  }
  return out;
}

/** One entry as a row of SQL literals (lib/sql-values.ts) in the column order of INSERT_LOG. */
function logRow(entry: LogEntry): string {
  return sqlRow([
    entry.receivedAt,
    entry.source,
    entry.ip?.slice(0, 64) ?? null,
    JSON.stringify(loggableParams(entry.params)),
    entry.status,
    entry.httpStatus,
    entry.reason?.slice(0, 500) ?? null,
    entry.conversionId,
    entry.readFrom && Object.keys(entry.readFrom).length > 0 ? JSON.stringify(entry.readFrom) : null,
  ]);
}

const INSERT_LOG = `INSERT INTO postback_log
  (received_at, source, ip, params, status, http_status, reason, conversion_id, read_from) VALUES`;

/**
 * Writes rows made by logRow in one statement, then prunes when an id crossed a multiple of
 * PRUNE_EVERY. The rows of one INSERT take consecutive ids, so the last id and the count tell.
 */
async function insertLogRows(d1: D1Database, rows: string[]): Promise<void> {
  const { meta } = await d1.prepare(`${INSERT_LOG} ${rows.join(",")}`).run();
  const last = meta.last_row_id;
  if (Math.floor(last / PRUNE_EVERY) === Math.floor((last - meta.changes) / PRUNE_EVERY)) return;
  try {
    await pruneLog(getDb(d1), Date.now());
  } catch (err) {
    logError("postback log not pruned", String(err));
  }
}

// No retry: the log has no natural key, so retrying a write that did commit would double entries.
const LOG_BATCH: BatchOptions = { maxWaitMs: 100, maxRows: 200, maxBytes: 90_000, retryDelayMs: null };
// One batcher per D1 binding per isolate (the binding object lives as long as the isolate).
const batchers = new WeakMap<D1Database, RowBatcher>();

/**
 * Queues one entry for the next batched write (lib/row-batcher.ts): when it opens a batch, the
 * batch's write goes to `waitUntil`. Never throws; a batch that cannot be written is logged on
 * the console and the hits themselves are unaffected.
 */
export function queueLog(d1: D1Database, entry: LogEntry, waitUntil: (write: Promise<void>) => void): void {
  let batcher = batchers.get(d1);
  if (!batcher)
    batchers.set(
      d1,
      (batcher = new RowBatcher((rows) => insertLogRows(d1, rows), "postback log not written", LOG_BATCH)),
    );
  const write = batcher.add(logRow(entry), `${entry.source}@${entry.receivedAt}`);
  if (write) waitUntil(write);
}

/** Appends one entry now, unbatched (tests, and anything that must see its entry at once). */
export async function writeLog(d1: D1Database, entry: LogEntry): Promise<void> {
  try {
    await insertLogRows(d1, [logRow(entry)]);
  } catch (err) {
    logError("postback log not written", String(err));
  }
}
