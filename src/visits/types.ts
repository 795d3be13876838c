/**
 * what a visit and a lander click record. The click route, the traffic
 * source reader and the flows fill these; src/visits stores them and rolls them up.
 */

import type { AdClickIds } from "./ad-click-ids";
import type { VisitAttributes } from "./attributes/types";

export { VAR_SLOTS } from "../model/vars";

/**
 * The attributes docs/tracking.md reads from the click request (attributes/types.ts), with the device
 * type widened to what storage decodes, so a VisitAttributes spreads straight into a VisitRecord.
 */
export type VisitRecordAttributes = Omit<VisitAttributes, "deviceType"> & { deviceType: string | null };

export interface VisitRecord extends VisitRecordAttributes {
  clickId: string;
  /** Epoch ms. */
  createdAt: number;
  campaignId: number;
  trafficSourceId: number | null;
  /** null when the path sends the visitor to a lander first (the offer is chosen at /click). */
  offerId: number | null;
  /** All three null when the campaign has no flow. */
  landerId: number | null;
  pathId: number | null;
  ruleId: number | null;
  externalId: string | null;
  /** Cost of this visit by the campaign's cost model, in micro-units. */
  costMicros: number;
  /** Length VAR_SLOTS: var1…var10, null where the click carried none. */
  vars: (string | null)[];
  /** The ad platforms' click IDs of the incoming query (ad-click-ids.ts); absent when none. */
  adClickIds?: AdClickIds;
}

/** One click on a lander's call to action (GET /click, /click/:n). */
export interface LanderClickRecord {
  clickId: string;
  /** The visit's time (from the click ID), epoch ms: finds the visit's rollup bucket. */
  visitTime: number;
  campaignId: number;
  landerId: number;
  pathId: number | null;
  /** The offer the visitor is sent to. */
  offerId: number;
  /** Epoch ms of the lander click. */
  createdAt: number;
}

/** Only `waitUntil` is used: the write runs after the response. */
export type WaitUntilContext = Pick<ExecutionContext, "waitUntil">;

/**
 * Signatures of src/visits/record.ts. Neither throws: a failure to record never fails a
 * redirect. The returned promise (when there is one) resolves once the record is durably queued;
 * the click route awaits it only in the "no click lost" mode.
 */
export type RecordVisit = (env: Env, ctx: WaitUntilContext, visit: VisitRecord) => void | Promise<void>;
export type RecordLanderClick = (env: Env, ctx: WaitUntilContext, click: LanderClickRecord) => void | Promise<void>;
