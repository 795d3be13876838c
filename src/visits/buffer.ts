import type { NewVisit } from "../db/schema";
import { insertVisitRows, visitJson } from "./insert";

export interface VisitBufferOptions {
  /** How long the first visit of a batch waits for company before the batch is written. */
  maxWaitMs: number;
  /** A batch is written at once when it reaches this many rows... */
  maxRows: number;
  /** ...or this many bytes of JSON (kept under D1's 100 KB statement size). */
  maxBytes: number;
  /** Pause before the one retry of a failed batch. */
  retryDelayMs: number;
}

export const DEFAULT_VISIT_BUFFER: VisitBufferOptions = { maxWaitMs: 100, maxRows: 500, maxBytes: 90_000, retryDelayMs: 100 };

interface Batch {
  rows: string[];
  ids: string[];
  waiters: (() => void)[];
  bytes: number;
  full: () => void;
  done: Promise<void>;
}

const utf8 = new TextEncoder();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Per-isolate visit batching. Every caller gets a promise of its own, resolved once the write
 * that contains its visit is over, and hands it to waitUntil: the runtime keeps the request (and
 * so the isolate) alive until its visit is in D1. The batch's timer and write run in the context
 * of the request that opened the batch, whose own promise resolves last, so the I/O never
 * outlives the request that owns it. (Requests never await one shared promise: workerd drops
 * queued cross-request continuations of a request that has ended.) Writes go one at a time;
 * while one is in flight the next batch keeps filling, so batches grow with load.
 * The promises never reject: a redirect must not fail because of its visit.
 */
export class VisitBuffer {
  #open: Batch | null = null;
  #lastWrite: Promise<void> = Promise.resolve();

  constructor(
    private readonly d1: D1Database,
    private readonly options: VisitBufferOptions = DEFAULT_VISIT_BUFFER,
  ) {}

  add(visit: NewVisit): Promise<void> {
    const row = visitJson(visit);
    const bytes = utf8.encode(row).length;
    let batch = this.#open;
    if (batch && batch.bytes + bytes > this.options.maxBytes) batch.full();
    batch = this.#open ?? this.#openBatch();
    batch.rows.push(row);
    batch.ids.push(visit.clickId);
    batch.bytes += bytes + 1;
    if (batch.rows.length >= this.options.maxRows || batch.bytes >= this.options.maxBytes) batch.full();
    return new Promise<void>((resolve) => batch.waiters.push(resolve));
  }

  #openBatch(): Batch {
    let markFull!: () => void;
    const filled = new Promise<void>((resolve) => (markFull = resolve));
    const previous = this.#lastWrite;
    const batch: Batch = {
      rows: [],
      ids: [],
      waiters: [],
      bytes: 0,
      full: () => {
        if (this.#open === batch) this.#open = null;
        markFull();
      },
      done: Promise.resolve(),
    };
    batch.done = (async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const due = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.maxWaitMs)));
      await Promise.all([Promise.race([due, filled]), previous]);
      clearTimeout(timer);
      batch.full();
      await this.#write(batch.rows, batch.ids, true);
      for (const resolve of batch.waiters) resolve();
    })();
    this.#open = batch;
    this.#lastWrite = batch.done;
    return batch;
  }

  /** One retry for the whole batch; then halves, so one bad row cannot sink the others. */
  async #write(rows: string[], ids: string[], retry: boolean): Promise<void> {
    try {
      await insertVisitRows(this.d1, rows);
      return;
    } catch (err) {
      if (retry) {
        await sleep(this.options.retryDelayMs);
        return this.#write(rows, ids, false);
      }
      if (rows.length === 1) {
        console.error("visit not recorded", ids[0], err);
        return;
      }
    }
    const half = Math.ceil(rows.length / 2);
    await this.#write(rows.slice(0, half), ids.slice(0, half), false);
    await this.#write(rows.slice(half), ids.slice(half), false);
  }
}
