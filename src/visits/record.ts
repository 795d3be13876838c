import type { NewVisit } from "../db/schema";
import { VisitBuffer } from "./buffer";
import type { RecordVisit, VisitRecord } from "./types";

// One buffer per D1 binding per isolate (the binding object lives as long as the isolate).
const buffers = new WeakMap<D1Database, VisitBuffer>();

/**
 * Queues one visit for the next batched write. When this visit opens a batch, the batch's write
 * goes to `waitUntil`, so the runtime keeps the isolate alive until the batch is in D1 (see
 * VisitBuffer). Never throws: failures are logged.
 */
export const recordVisit: RecordVisit = (env, ctx, visit) => {
  let buffer = buffers.get(env.DB);
  if (!buffer) buffers.set(env.DB, (buffer = new VisitBuffer(env.DB)));
  const write = buffer.add(legacyRow(visit));
  if (write) ctx.waitUntil(write);
};

/** The visits table as it stands until the new raw tables land. */
function legacyRow(v: VisitRecord): NewVisit {
  const vars = Object.fromEntries(v.vars.flatMap((value, i) => (value === null ? [] : [[`var${i + 1}`, value]])));
  return {
    clickId: v.clickId,
    campaignId: v.campaignId,
    offerId: v.offerId ?? 0,
    createdAt: v.createdAt,
    country: v.country,
    userAgent: v.userAgent,
    referrer: v.referrerDomain,
    params: JSON.stringify(v.externalId === null ? vars : { ...vars, externalid: v.externalId }),
    costMicros: v.costMicros,
  };
}
