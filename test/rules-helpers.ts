import { expect } from "vitest";
import { api, created, createOffer } from "./helpers";
import { insertConversions, visitRecord, writeVisits } from "./report-helpers";

/** Helpers of the rules tests: visits per zone (var1) written through storage's own writers. */
let seq = 0;
export const HOUR = 3_600_000;

export async function zoneVisits(
  campaignId: number,
  offerId: number,
  zone: string,
  n: number,
  opts: { cost?: number; at?: number } = {},
): Promise<string[]> {
  const at = opts.at ?? Date.now() - HOUR;
  const ids = Array.from({ length: n }, () => `r${(seq++).toString(36)}x${Date.now().toString(36)}`.padEnd(32, "0"));
  await writeVisits(
    ids.map((clickId) =>
      visitRecord({
        clickId,
        createdAt: at,
        campaignId,
        offerId,
        costMicros: Math.round((opts.cost ?? 0) * 1e6),
        vars: [zone, ...Array(9).fill(null)],
      }),
    ),
  );
  return ids;
}

export async function convertVisit(campaignId: number, offerId: number, clickId: string, payout = 1, txid?: string) {
  await insertConversions([
    { campaignId, offerId, clickId, at: Date.now() - HOUR / 2, payoutMicros: Math.round(payout * 1e6), txid },
  ]);
}

export async function newCampaign(body: Record<string, unknown> = {}) {
  const offer = await createOffer();
  const campaign = await created(
    api("POST", "/campaigns", { name: "Camp", offers: [{ offerId: offer.id, weight: 100 }], ...body }),
  );
  return { offer, campaign };
}

export const deadZones = (campaignIds?: number[], action: Record<string, unknown> = { type: "blocklist" }) => ({
  name: "Cut dead zones",
  ...(campaignIds && { campaignIds }),
  dimension: "var1",
  window: { hours: 24 },
  conditions: [
    { metric: "cost", op: ">=", value: 5 },
    { metric: "revenue", op: "<=", value: 0 },
  ],
  action,
});

export async function json(res: Response | Promise<Response>, status = 200): Promise<any> {
  const r = await res;
  const body = await r.json();
  expect(r.status, JSON.stringify(body)).toBe(status);
  return body;
}

/** A pause rule on offers of one campaign, with one condition. */
export const pauseOffers = (campaignId: number, condition: Record<string, unknown>) =>
  created(
    api("POST", "/rules", {
      name: "Pause offers",
      campaignIds: [campaignId],
      dimension: "offer",
      window: { hours: 24 },
      conditions: [condition],
      action: { type: "pause" },
    }),
  );
