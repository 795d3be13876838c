import type { NewVisit } from "../db/schema";
import { VisitBuffer } from "./buffer";

// One buffer per D1 binding per isolate (the binding object lives as long as the isolate).
const buffers = new WeakMap<D1Database, VisitBuffer>();

/**
 * Queues one visit for the next batched write. When this visit opens a batch, the batch's write
 * goes to `waitUntil`, so the runtime keeps the isolate alive until the batch is in D1 (see
 * VisitBuffer). Never throws: failures are logged.
 */
export function recordVisit(d1: D1Database, visit: NewVisit, waitUntil: (write: Promise<void>) => void): void {
  let buffer = buffers.get(d1);
  if (!buffer) buffers.set(d1, (buffer = new VisitBuffer(d1)));
  const write = buffer.add(visit);
  if (write) waitUntil(write);
}
