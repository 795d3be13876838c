import type { NewVisit } from "../db/schema";
import { insertVisitRows, visitJson } from "./insert";

export interface VisitBufferOptions {
  /** How long a batch stays open for more visits before it is written. */
  maxWaitMs: number;
  /** A batch takes no more rows than this... */
  maxRows: number;
  /** ...nor more bytes of JSON (kept under D1's 100 KB statement size). */
  maxBytes: number;
  /** Pause before the one retry of a failed batch. */
  retryDelayMs: number;
}

export const DEFAULT_VISIT_BUFFER: VisitBufferOptions = { maxWaitMs: 100, maxRows: 500, maxBytes: 90_000, retryDelayMs: 100 };

interface Batch {
  rows: string[];
  ids: string[];
  bytes: number;
}

const utf8 = new TextEncoder();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Per-isolate visit batching. The request whose visit opens a batch owns it: add() hands that
 * request the promise of the batch's write, which it gives to waitUntil, and the batch's timer
 * and D1 write run in that request's own context. Later visits join the open batch and their
 * requests wait for nothing. No visit is lost when an isolate is retired: the runtime keeps it
 * alive while any waitUntil is pending, and every buffered visit sits in a batch whose owner's
 * waitUntil ends only once the batch is written. (No request ever awaits another request's
 * promise: workerd treats a request that waits on another request's I/O as hung and cancels it.)
 * The write promise never rejects: a redirect must not fail because of its visit.
 */
export class VisitBuffer {
  #open: Batch | null = null;

  constructor(
    private readonly d1: D1Database,
    private readonly options: VisitBufferOptions = DEFAULT_VISIT_BUFFER,
  ) {}

  /** Queues a visit; returns the batch's write when this call opened the batch, else undefined. */
  add(visit: NewVisit): Promise<void> | undefined {
    const row = visitJson(visit);
    const bytes = utf8.encode(row).length + 1;
    // A batch that cannot take this row is closed; its owner still writes it when its timer fires.
    if (this.#open && this.#open.bytes + bytes > this.options.maxBytes) this.#open = null;
    const owner = this.#open === null;
    const batch = (this.#open ??= { rows: [], ids: [], bytes: 0 });
    batch.rows.push(row);
    batch.ids.push(visit.clickId);
    batch.bytes += bytes;
    if (batch.rows.length >= this.options.maxRows) this.#open = null;
    return owner ? this.#writeLater(batch) : undefined;
  }

  async #writeLater(batch: Batch): Promise<void> {
    await sleep(this.options.maxWaitMs);
    if (this.#open === batch) this.#open = null;
    await this.#write(batch.rows, batch.ids, true);
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
