import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect, inject } from "vitest";
import { sourcePostbacks } from "../src/db/schema";
import { sourcePostbackStatements } from "../src/delivery/create";
import { visitValues } from "../src/delivery/visit";
import worker from "../src/index";
import { mintClickId, verifyClickId } from "../src/lib/clickid";
import { getDb } from "../src/lib/db";
import { api, call, createTrafficSource, eventually, setupCampaign } from "./helpers";
import { visitRecord, writeVisits } from "./report-helpers";

const NETWORK = `http://127.0.0.1:${inject("networkPort")}`;

import type { Call as NetworkCall } from "./network-standin";

export type { NetworkCall };

/** One stand-in ad network (test/network-standin.ts), private to the test that made it. */
export function standIn() {
  const key = crypto.randomUUID().slice(0, 12);
  return {
    /** A URL on this network: `path` is the path and query after its own prefix. */
    url: (path: string) => `${NETWORK}/n/${key}${path}`,
    /** The answers to give, in order; 200 once they run out. */
    script: async (responses: { status: number; location?: string; retryAfter?: string; delayMs?: number }[]) => {
      await fetch(`${NETWORK}/__script/${key}`, { method: "POST", body: JSON.stringify(responses) });
    },
    calls: async (): Promise<NetworkCall[]> => (await fetch(`${NETWORK}/__calls/${key}`)).json(),
  };
}

/** A campaign whose traffic source has `postbackUrl` (and the rest of `source`). */
export async function sourcedCampaign(source: Record<string, unknown>) {
  const ts = await createTrafficSource(source);
  const { offer, campaign } = await setupCampaign({}, { trafficSourceId: ts.id });
  return { source: ts, offer, campaign };
}

/** Clicks the campaign and waits until its visit is stored, so a postback finds it at once. */
export async function clickAndStore(campaignId: number, query = "", init: RequestInit = {}): Promise<string> {
  const res = await call(`/c/${campaignId}${query}`, init);
  expect(res.status).toBe(302);
  const clickId = /ct_cid=([A-Za-z0-9_-]+)/.exec(res.headers.get("set-cookie") ?? "")![1]!;
  const visit = await eventually(
    () => visitValues(env.CLICKID_SECRET, env.DB, { clickId }),
    (v) => v !== null,
  );
  expect(visit, "the visit reached D1").not.toBeNull();
  return clickId;
}

/** A conversion through GET /postback; returns its answer. */
export async function convert(clickId: string, params: Record<string, string> = {}) {
  const res = await call(`/postback?${new URLSearchParams({ cid: clickId, ...params })}`);
  const body = await res.json<{ status: string; conversionId?: string }>();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

export interface Delivery {
  id: string;
  conversionId: string;
  conversionStatus: string;
  trafficSourceId: number;
  url: string | null;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastHttpStatus: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export async function listDeliveries(query = ""): Promise<{ deliveries: Delivery[]; nextCursor: string | null }> {
  const res = await api("GET", `/source-postbacks${query}`);
  expect(res.status).toBe(200);
  return res.json();
}

/** Polls the log until the delivery of `conversionId` passes `check`. */
export async function waitForDelivery(conversionId: string, check: (d: Delivery) => boolean, timeoutMs = 25_000) {
  const found = await eventually(
    async () =>
      (await listDeliveries("?limit=500")).deliveries.find((d) => d.conversionId === conversionId && check(d)),
    (d) => d !== undefined && check(d),
    timeoutMs,
  );
  expect(found, "the delivery reached the expected state").toBeDefined();
  return found!;
}

/**
 * A pending delivery stored the way the conversion's write stores it, but not handed to the
 * queue: the test decides which message reaches the consumer, and when.
 */
export async function storedDelivery(postbackUrl: string, opts: { createdAt?: number } = {}) {
  const { source, campaign, offer } = await sourcedCampaign({ postbackUrl });
  const conversionId = crypto.randomUUID();
  const now = opts.createdAt ?? Date.now();
  // A signed click ID: the consumer finds the visit by the second it carries.
  const visitTime = Math.floor(now / 1000) * 1000;
  const clickId = await mintClickId(env.CLICKID_SECRET, { visitTime, campaignId: campaign.id, offerId: offer.id });
  await env.DB.prepare(
    `INSERT INTO conversions (id, dedupe_key, click_id, campaign_id, offer_id, type_id, txid, payout_micros,
       conversion_time, received_at, source) VALUES (?1, ?2, ?3, ?4, ?5, NULL, 'tx', 3000000, ?6, ?6, 'postback')`,
  )
    .bind(conversionId, `${clickId}||tx`, clickId, campaign.id, offer.id, now)
    .run();
  await env.DB.batch(sourcePostbackStatements(env.DB, [{ id: conversionId, payoutMicros: 3_000_000 }], now));
  return { id: `${conversionId}:approved`, conversionId, clickId, source, campaign, offer };
}

/** Stores the visit of `clickId` in raw_visits as the queue consumer would (country FR). */
export async function storeVisit(
  clickId: string,
  campaignId: number,
  offerId: number,
  values: { externalId: string | null; vars: (string | null)[] },
) {
  const { visitTime } = (await verifyClickId(env.CLICKID_SECRET, clickId))!;
  const vars = Array.from({ length: 10 }, (_, i) => values.vars[i] ?? null);
  await writeVisits([
    visitRecord({
      clickId,
      createdAt: visitTime,
      campaignId,
      offerId,
      externalId: values.externalId,
      vars,
      country: "FR",
    }),
  ]);
}

/** A delivery's row as stored. */
export function deliveryRow(id: string) {
  return getDb(env.DB).select().from(sourcePostbacks).where(eq(sourcePostbacks.id, id)).get();
}

/**
 * Hands `bodies` to the worker's queue() as one batch of `queue`, each at `attempts`. The
 * plugin's getQueueResult drops retry()'s delaySeconds, so retry() is watched to report it.
 */
export async function consume(queue: string, bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts, body })),
  );
  const delays = new Map<string, number | undefined>();
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (options?: QueueRetryOptions) => {
      delays.set(m.id, options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  return { ...result, retryMessages: result.retryMessages.map((r) => ({ ...r, delaySeconds: delays.get(r.msgId) })) };
}
