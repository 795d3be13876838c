import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, inject } from "vitest";
import { SOURCE_POSTBACK_QUEUE } from "../src/delivery/consumer";
import worker from "../src/index";
import { type ConversionRecord, writeConversions } from "../src/ingest/d1-write";
import { adClickIdsOf } from "../src/visits/queries";
import { api, created, eventually, setupCampaign } from "./helpers";
import type { PlatformCall } from "./platform-standin";
import { conversionRecord } from "./report-helpers";
import { clickAndStore } from "./source-postback-helpers";

const PLATFORM = `http://127.0.0.1:${inject("platformPort")}`;

/** One stand-in platform (test/platform-standin.ts), private to the test that made it. */
export function platform() {
  const key = crypto.randomUUID().slice(0, 12);
  return {
    endpoint: `${PLATFORM}/p/${key}`,
    script: (answers: { status: number; body?: unknown }[]) =>
      fetch(`${PLATFORM}/__script/${key}`, { method: "POST", body: JSON.stringify(answers) }),
    tokenLifetime: (expiresIn: number) =>
      fetch(`${PLATFORM}/__config/${key}`, { method: "POST", body: JSON.stringify({ expiresIn }) }),
    calls: async (): Promise<PlatformCall[]> => (await fetch(`${PLATFORM}/__calls/${key}`)).json(),
  };
}

export const META = (endpoint: string, extra: Record<string, unknown> = {}) => ({
  type: "meta",
  pixelId: "123456789012345",
  accessToken: "EAAB-meta-secret-token",
  endpoint,
  ...extra,
});
export const TIKTOK = (endpoint: string, extra: Record<string, unknown> = {}) => ({
  type: "tiktok",
  pixelCode: "C4ABCDEF12345",
  accessToken: "tiktok-secret-token",
  endpoint,
  ...extra,
});
export const GOOGLE = (endpoint: string, extra: Record<string, unknown> = {}) => ({
  type: "google",
  customerId: "123-456-7890",
  conversionActionId: "987654",
  developerToken: "google-dev-token",
  clientId: "client-1.apps.googleusercontent.com",
  clientSecret: "google-client-secret",
  refreshToken: "1//google-refresh-token",
  endpoint,
  ...extra,
});

/** A campaign whose traffic source sends to `conversionApi` (and has the rest of `source`). */
export async function apiCampaign(conversionApi: Record<string, unknown>, source: Record<string, unknown> = {}) {
  const ts = await created(api("POST", "/traffic-sources", { name: "Ads", conversionApi, ...source }));
  const { offer, campaign } = await setupCampaign({}, { trafficSourceId: ts.id });
  return { source: ts, offer, campaign };
}

export const VISITOR = {
  "User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)",
  "CF-Connecting-IP": "203.0.113.7",
};

/** A click from VISITOR with `query`, stored; returns its click ID and the visit's time (ms). */
export async function visit(campaignId: number, query: string) {
  const clickId = await clickAndStore(campaignId, query, { headers: VISITOR });
  const stored = await adClickIdsOf(env.DB, env.CLICKID_SECRET, clickId);
  return { clickId, visitTime: stored!.createdAt };
}

/**
 * A conversion written as the ingest shard writes it, but not handed to the queue: the test
 * hands its deliveries to the consumer itself (consume), so retries are seen one by one.
 */
export async function writeUnqueued(
  clickId: string,
  campaign: { id: number },
  offer: { id: number },
  change: Partial<Pick<ConversionRecord, "id" | "status" | "previousStatus" | "version">> = {},
) {
  const id = change.id ?? crypto.randomUUID();
  const now = Date.now();
  await writeConversions(env.DB, [
    conversionRecord({
      id,
      clickId,
      campaignId: campaign.id,
      offerId: offer.id,
      txid: id,
      payoutMicros: 5_000_000,
      conversionTime: now,
      ...change,
      statusChangedAt: change.version ? now : null,
    }),
  ]);
  return id;
}

/** Hands one delivery to the worker's queue() as attempt `attempts`; returns what it did with the message. */
export async function consume(deliveryId: string, attempts = 1) {
  const batch = createMessageBatch(SOURCE_POSTBACK_QUEUE, [
    { id: "msg-0", timestamp: new Date(), attempts, body: { id: deliveryId } },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

/** Polls until the platform received `n` calls (the queue delivers within seconds). */
export async function callsOf(p: ReturnType<typeof platform>, n: number) {
  const calls = await eventually(p.calls, (c) => c.length >= n, 25_000);
  expect(calls).toHaveLength(n);
  return calls;
}
