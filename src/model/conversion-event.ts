import type { ConversionStatus } from "./status";

/**
 * every change of a conversion that moves a report number is one event,
 * written by the ingest shard in the same D1 batch as the conversion row (INSERT … ON CONFLICT
 * DO NOTHING on `id`). src/visits applies each event to the rollups exactly once.
 */
export type { ConversionStatus };

export interface ConversionEvent {
  /** Unique per change: a retry of the same change reuses it. */
  id: string;
  conversionId: string;
  clickId: string;
  /** The visit's time (from the click ID), epoch ms: finds the visit's rollup rows. */
  visitTime: number;
  campaignId: number;
  offerId: number;
  landerId: number | null;
  /** null = the default conversion type. */
  typeId: number | null;
  status: ConversionStatus;
  /** null on registration. */
  previousStatus: ConversionStatus | null;
  payoutMicros: number;
  /** The payout before this change; 0 on registration. */
  previousPayoutMicros: number;
  /** Epoch ms of the conversion (its conversion time), the time reports bucket it by. */
  at: number;
}
