import type { NewVisit } from "../db/schema";
import { VisitBuffer } from "./buffer";

// One buffer per D1 binding per isolate (the binding object lives as long as the isolate).
const buffers = new WeakMap<D1Database, VisitBuffer>();

/**
 * Queues one visit for the next batched write and returns that write's promise, for
 * waitUntil. Never rejects: failures are logged (see VisitBuffer).
 */
export function recordVisit(d1: D1Database, visit: NewVisit): Promise<void> {
  let buffer = buffers.get(d1);
  if (!buffer) buffers.set(d1, (buffer = new VisitBuffer(d1)));
  return buffer.add(visit);
}
