import type { NewVisit } from "../db/schema";
import { type BatchOptions, RowBatcher } from "../lib/row-batcher";
import { insertVisitRows, visitJson } from "./insert";

export type VisitBufferOptions = BatchOptions;

export const DEFAULT_VISIT_BUFFER: VisitBufferOptions = {
  maxWaitMs: 100,
  maxRows: 500,
  maxBytes: 90_000,
  retryDelayMs: 100,
};

/**
 * Per-isolate visit batching (see lib/row-batcher.ts for why no visit is lost and why no
 * request waits on another's write). A failed batch is retried once, then halved; the insert
 * is idempotent on the click ID, so a retry of a batch that did commit is harmless. The write
 * promise never rejects: a redirect must not fail because of its visit.
 */
export class VisitBuffer {
  readonly #rows: RowBatcher;

  constructor(d1: D1Database, options: VisitBufferOptions = DEFAULT_VISIT_BUFFER) {
    this.#rows = new RowBatcher((rows) => insertVisitRows(d1, rows), "visit not recorded", options);
  }

  /** Queues a visit; returns the batch's write when this call opened the batch, else undefined. */
  add(visit: NewVisit): Promise<void> | undefined {
    return this.#rows.add(visitJson(visit), visit.clickId);
  }
}
