import { postbackLog } from "../db/schema";
import { getDb } from "../lib/db";
import { pruneLog } from "./retention";

export type LogStatus = "accepted" | "duplicate" | "rejected" | "refused" | "error";

export interface LogEntry {
  receivedAt: number;
  source: "postback" | "pixel";
  ip: string | null;
  params: Record<string, string>;
  status: LogStatus;
  httpStatus: number;
  reason: string | null;
  conversionId: string | null;
}

const MAX_PARAMS = 30;
const MAX_VALUE = 300;
/** Parameters never stored in clear. */
const MASKED = new Set(["secret"]);
/** Prune on roughly one write in PRUNE_EVERY: keeps the log bounded without a cron. */
const PRUNE_EVERY = 100;

/** What is stored of the received parameters: bounded in count and length, the secret masked. */
export function loggableParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params).slice(0, MAX_PARAMS)) {
    out[key.slice(0, 64)] = MASKED.has(key) ? "***" : value.slice(0, MAX_VALUE);
  }
  return out;
}

/**
 * Appends one entry. Runs under waitUntil after the answer, so it never throws: a log that
 * cannot be written is reported on the console and the hit itself is unaffected.
 */
export async function writeLog(d1: D1Database, entry: LogEntry): Promise<void> {
  try {
    const db = getDb(d1);
    const [row] = await db
      .insert(postbackLog)
      .values({ ...entry, ip: entry.ip?.slice(0, 64) ?? null, params: JSON.stringify(loggableParams(entry.params)), reason: entry.reason?.slice(0, 500) ?? null })
      .returning({ id: postbackLog.id });
    if (row && row.id % PRUNE_EVERY === 0) await pruneLog(db, entry.receivedAt);
  } catch (err) {
    console.error("postback log not written", String(err));
  }
}
