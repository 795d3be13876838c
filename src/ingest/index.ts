import { getConfig, requireSecret } from "../lib/config";
import { getDb } from "../lib/db";
import { type ConversionStatus, isTransition } from "../model/status";
import { type Catalog, cachedCatalog } from "./catalog";
import {
  type CheckedRequest,
  checkRequests,
  isRejection,
  type PendingConversion,
  type Rejection,
  reject,
  resolveRequest,
} from "./judge";
import { registerInLane } from "./shard-lanes";
import { chosenOffersInShards, peekInShards, registerInShards, storageUnavailable } from "./shards";
import type { ConversionRequest, IngestResult } from "./types";

export type { ConversionRequest, ConversionSource, IngestResult } from "./types";

export interface IngestOptions {
  /**
   * Validate, and report duplicates already registered or repeated in the batch, without
   * registering anything. Would-be registrations and transitions come back as accepted or
   * updated with conversionId "".
   */
  dryRun?: boolean;
  /** Epoch ms of receipt; the conversion time of requests without one. Default: now. */
  receivedAt?: number;
  /**
   * Postback and pixel: read offers, campaigns and types through the per-isolate cache, so an
   * unknown or archived type is rejected (and a new one accepted) up to this many ms late. 0: read D1.
   */
  catalogTtlMs?: number;
  /**
   * Answer once the shard has committed its decision, and let it write D1 just after, batched
   * with other registrations (see IngestShard). Default: the shard writes D1 before answering.
   */
  deferD1Write?: boolean;
  /**
   * One hit (postback, pixel): its registration joins the others bound for its shard from this
   * isolate (shard-lanes.ts), their call run under the given waitUntil.
   */
  waitUntil?: (p: Promise<unknown>) => void;
}

/**
 * The one entry point for postback, pixel and upload (docs/conversions.md): one result per request, in
 * order. Throws ApiError("unavailable") when D1 or the ingest shards cannot be reached; D1 (or,
 * with catalogTtlMs, a fresh cached copy of it) is read before anything is decided, so such a
 * failure registers nothing. When some shards commit and others fail, the failed shards' requests
 * come back "unavailable" (the others' results stand: shards commit separately).
 */
export async function ingest(
  env: Env,
  requests: ConversionRequest[],
  opts: IngestOptions = {},
): Promise<IngestResult[]> {
  const receivedAt = opts.receivedAt ?? Date.now();
  // Without the secret no click ID verifies: 503 naming it, so networks retry instead of dropping.
  const checked = await checkRequests(requireSecret(getConfig(env), "CLICKID_SECRET"), requests);

  const valid = checked.filter((c): c is CheckedRequest => !isRejection(c));
  await offersChosenOnLanders(env, valid);
  const catalog = valid.length === 0 ? null : await readCatalog(env, valid, opts.catalogTtlMs ?? 0);

  const results: (IngestResult | undefined)[] = new Array(requests.length);
  const pending: PendingConversion[] = [];
  const pendingAt: number[] = [];
  checked.forEach((c, i) => {
    const resolved: PendingConversion | Rejection = isRejection(c) ? c : resolveRequest(c, catalog!, receivedAt);
    if (isRejection(resolved)) results[i] = resolved;
    else {
      pending.push(resolved);
      pendingAt.push(i);
    }
  });
  if (pending.length === 0) return results as IngestResult[];

  if (opts.dryRun) {
    const stored = await peekInShards(env, pending);
    // The shard's rules, replayed over the batch without deciding anything.
    const current = new Map<string, ConversionStatus>();
    pending.forEach((p, k) => {
      const before = current.get(p.dedupeKey) ?? stored[k];
      const index = pendingAt[k]!;
      if (before && !isTransition(before, p.status)) {
        results[index] = { status: "duplicate" };
        return;
      }
      results[index] = { status: before ? "updated" : "accepted", conversionId: "" };
      current.set(p.dedupeKey, p.status);
    });
  } else {
    const defer = opts.deferD1Write ?? false;
    const outcomes =
      opts.waitUntil && pending.length === 1
        ? [await registerInLane(env, pending[0]!, defer, opts.waitUntil)]
        : await registerInShards(env, pending, defer);
    outcomes.forEach((o, k) => {
      results[pendingAt[k]!] = o === null ? NOT_REGISTERED : o.status === "refused" ? reject("payout", o.message) : o;
    });
  }
  return results as IngestResult[];
}

/** A line whose shard failed while others committed: the caller must say it was not registered. */
const NOT_REGISTERED: IngestResult = {
  status: "unavailable",
  error: "not registered: conversion storage was unavailable for this line; upload this line again",
};

/**
 * A visit sent to a lander carries offer 0 in its click ID: its offer is the one GET /click sent
 * the visitor to, which that click ID's shard remembers (even before any D1 row is readable).
 * One shard call per shard for the batch; a visitor who never clicked through keeps offer 0.
 */
async function offersChosenOnLanders(env: Env, valid: CheckedRequest[]): Promise<void> {
  const viaLander = valid.filter((v) => v.click.offerId === 0 && v.click.landerId !== null);
  if (viaLander.length === 0) return;
  const ids = [...new Set(viaLander.map((v) => v.clickId))];
  const offers = await chosenOffersInShards(env, ids);
  const chosen = new Map(ids.map((id, i) => [id, offers[i]!]));
  for (const v of viaLander) v.click = { ...v.click, offerId: chosen.get(v.clickId) ?? 0 };
}

async function readCatalog(env: Env, valid: CheckedRequest[], ttlMs: number): Promise<Catalog> {
  const offerIds = new Set(valid.map((v) => v.click.offerId));
  const campaignIds = new Set(valid.map((v) => v.click.campaignId));
  try {
    return await cachedCatalog(getDb(env.DB), offerIds, campaignIds, ttlMs);
  } catch (err) {
    throw storageUnavailable("ingest: D1 unavailable", err);
  }
}
