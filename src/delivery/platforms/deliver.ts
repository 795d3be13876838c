import { eq } from "drizzle-orm";
import { type SourcePostbackRow, trafficSources } from "../../db/schema";
import { getConfig } from "../../lib/config";
import type { Db } from "../../lib/db";
import { type ConversionApi, eventName } from "../../model/conversion-api";
import { getSettings } from "../../model/settings";
import { adClickIdsOf } from "../../visits/queries";
import { getDelivery } from "../queries";
import { CLICK_ID_NAMES, hasPlatformClickId, type PlatformEvent } from "./requests";
import { type Sent, sendEvent, sendRetraction } from "./send";
import { openConversionApi } from "./store";

/** What became of one try of a platform delivery. */
export type PlatformStep =
  | { step: "wait"; reason: string }
  | { step: "drop"; reason: string }
  | { step: "fail"; error: string }
  | ({ step: "called" } & Sent);

/** A micro-unit amount as the platform shows it: in the currency's minor unit (cents, yen), exactly. */
export function platformValue(micros: number, currency: string): number {
  const digits =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const minor = Math.round((micros * 10 ** digits) / 1_000_000);
  return Number((minor / 10 ** digits).toFixed(digits));
}

/** The visit as the platforms need it, or null while it has not reached D1. */
async function visitFor(env: Env, clickId: string): Promise<PlatformEvent["visit"] | null> {
  const secret = getConfig(env).clickIdSecret;
  const visit = secret ? await adClickIdsOf(env.DB, secret, clickId) : null;
  return visit && { createdAt: visit.createdAt, ip: visit.ip, userAgent: visit.userAgent, clickIds: visit.adClickIds };
}

/** The source's conversion API with its secrets, or why there is none to call. */
async function apiOf(env: Env, db: Db, row: SourcePostbackRow): Promise<ConversionApi | string> {
  const source = await db.select().from(trafficSources).where(eq(trafficSources.id, row.trafficSourceId)).get();
  if (!source?.conversionApi || source.conversionApi.type !== row.kind)
    return `traffic source ${row.trafficSourceId} no longer sends to the ${row.kind} conversion API`;
  try {
    return (await openConversionApi(getConfig(env), source))!;
  } catch {
    return "the source's tokens cannot be read (SECRETS_KEY missing or changed): save them again on the source, then Retry";
  }
}

/**
 * One try of a delivery to an ad platform: an approved conversion, or (Google) the retraction of
 * one later rejected. Waits for the visit (its click IDs, IP and user agent) like a URL postback.
 */
export async function platformDelivery(env: Env, db: Db, row: SourcePostbackRow): Promise<PlatformStep> {
  const api = await apiOf(env, db, row);
  if (typeof api === "string") return { step: "fail", error: api };
  const conversion = await env.DB.prepare("SELECT conversion_time, status_changed_at FROM conversions WHERE id = ?1")
    .bind(row.conversionId)
    .first<{ conversion_time: number; status_changed_at: number | null }>();
  if (!conversion) return { step: "fail", error: `conversion ${row.conversionId} is not stored` };

  if (row.conversionStatus === "rejected") {
    if (api.type !== "google") return { step: "fail", error: "only Google Ads takes retractions" };
    // Retracting before the upload landed would leave the upload counted.
    const upload = await getDelivery(db, `${row.conversionId}:approved:google`);
    if (upload?.state === "pending") return { step: "wait", reason: "the upload is not delivered yet" };
    return {
      step: "called",
      ...(await sendRetraction(api, row.conversionId, conversion.status_changed_at ?? Date.now())),
    };
  }

  const visit = await visitFor(env, row.clickId);
  if (!visit) return { step: "wait", reason: `the visit of click ${row.clickId} is not stored` };
  if (!hasPlatformClickId(api.type, visit.clickIds))
    return { step: "drop", reason: `the visit carries no ${CLICK_ID_NAMES[api.type]}` };
  const { currency } = await getSettings(db);
  const event: PlatformEvent = {
    conversionId: row.conversionId,
    conversionTime: conversion.conversion_time,
    eventName: eventName(api, row.typeName),
    value: platformValue(row.payoutMicros, currency),
    currency,
    visit,
  };
  return { step: "called", ...(await sendEvent(api, event)) };
}
