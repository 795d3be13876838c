import { logError } from "./log";
import { utf8Length } from "./utf8";

export interface BatchOptions {
  /** How long a batch stays open for more rows before it is written. */
  maxWaitMs: number;
  /** A batch takes no more rows than this... */
  maxRows: number;
  /** ...nor more bytes of JSON (kept under D1's 100 KB statement size). */
  maxBytes: number;
  /**
   * Pause before the one retry of a failed batch, after which it is halved so one bad row cannot
   * sink the others. null: no retry, a failed batch is logged and dropped (for writes that are not
   * idempotent, where a retry of a write that did commit would double its rows).
   */
  retryDelayMs: number | null;
}

interface Batch {
  rows: string[];
  labels: string[];
  bytes: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Per-isolate batching of rows (each a JSON text) into one D1 statement per batch. The request
 * whose row opens a batch owns it: add() hands that request the promise of the batch's write,
 * which it gives to waitUntil, and the batch's timer and D1 write run in that request's own
 * context. Later rows join the open batch and their requests wait for nothing. No row is lost
 * when an isolate is retired: the runtime keeps it alive while any waitUntil is pending, and
 * every buffered row sits in a batch whose owner's waitUntil ends only once the batch is
 * written. (No request ever awaits another request's promise: workerd treats a request that
 * waits on another request's I/O as hung and cancels it.) The write promise never rejects:
 * failures are logged with `failureMessage` and the row's label.
 */
export class RowBatcher {
  #open: Batch | null = null;

  constructor(
    private readonly writeRows: (rows: string[]) => Promise<void>,
    private readonly failureMessage: string,
    private readonly options: BatchOptions,
  ) {}

  /** Queues a row; returns the batch's write when this call opened the batch, else undefined. */
  add(row: string, label: string): Promise<void> | undefined {
    const bytes = utf8Length(row) + 1;
    // A batch that cannot take this row is closed; its owner still writes it when its timer fires.
    if (this.#open && this.#open.bytes + bytes > this.options.maxBytes) this.#open = null;
    const owner = this.#open === null;
    const batch = (this.#open ??= { rows: [], labels: [], bytes: 0 });
    batch.rows.push(row);
    batch.labels.push(label);
    batch.bytes += bytes;
    if (batch.rows.length >= this.options.maxRows) this.#open = null;
    return owner ? this.#writeLater(batch) : undefined;
  }

  async #writeLater(batch: Batch): Promise<void> {
    await sleep(this.options.maxWaitMs);
    if (this.#open === batch) this.#open = null;
    await this.#write(batch.rows, batch.labels, this.options.retryDelayMs !== null);
  }

  async #write(rows: string[], labels: string[], retry: boolean): Promise<void> {
    try {
      await this.writeRows(rows);
      return;
    } catch (err) {
      if (retry) {
        await sleep(this.options.retryDelayMs ?? 0);
        return this.#write(rows, labels, false);
      }
      if (rows.length === 1 || this.options.retryDelayMs === null) {
        logError(this.failureMessage, labels.join(","), err);
        return;
      }
    }
    const half = Math.ceil(rows.length / 2);
    await this.#write(rows.slice(0, half), labels.slice(0, half), false);
    await this.#write(rows.slice(half), labels.slice(half), false);
  }
}
