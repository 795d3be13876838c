import type { ConversionApi } from "../../model/conversion-api";
import type { AdClickIds } from "../../visits/ad-click-ids";

type Of<T extends ConversionApi["type"]> = Extract<ConversionApi, { type: T }>;

/** One approved conversion as every platform needs it. */
export interface PlatformEvent {
  conversionId: string;
  /** Epoch ms. */
  conversionTime: number;
  eventName: string;
  /** In the account currency, rounded to the currency's minor unit. */
  value: number;
  currency: string;
  visit: { createdAt: number; ip: string | null; userAgent: string | null; clickIds: AdClickIds };
}

/** A request ready to send; `shownUrl` is the URL as the log shows it (no secret in it). */
export interface PlatformRequest {
  url: string;
  shownUrl: string;
  headers: Record<string, string>;
  body: string;
}

// Current versions as their docs list them (2026-12): Graph API v25.0, TikTok Business API v1.3,
// Google Ads API v26.
export const META_VERSION = "v25.0";
export const GOOGLE_ADS_VERSION = "v26";
const JSON_TYPE = { "Content-Type": "application/json" };

/** Whether the visit carries what the platform attributes by; without it nothing is sent. */
export function hasPlatformClickId(type: ConversionApi["type"], ids: AdClickIds): boolean {
  if (type === "meta") return Boolean(ids.fbclid || ids.fbc);
  if (type === "tiktok") return Boolean(ids.ttclid);
  return Boolean(ids.gclid || ids.gbraid || ids.wbraid);
}

export const CLICK_ID_NAMES = { meta: "fbclid or fbc", tiktok: "ttclid", google: "gclid, gbraid or wbraid" } as const;

/**
 * Meta Conversions API, POST /<version>/<pixel>/events?access_token=… with the events in `data`
 * (developers.facebook.com/documentation/ads-commerce/conversions-api/using-the-api).
 */
export function metaRequest(api: Of<"meta">, e: PlatformEvent): PlatformRequest {
  const { clickIds, ip, userAgent, createdAt } = e.visit;
  // fbc is "fb.<subdomainIndex>.<creationTime in ms>.<fbclid>", the fbclid unchanged (case kept);
  // 1 = the cookie's domain is the registrable domain (developers.facebook.com/docs/marketing-api/
  // conversions-api/parameters/fbp-and-fbc). The lander's own _fbc cookie wins when it sent one.
  const fbc = clickIds.fbc ?? (clickIds.fbclid ? `fb.1.${createdAt}.${clickIds.fbclid}` : undefined);
  const event = {
    event_name: e.eventName,
    event_time: Math.floor(e.conversionTime / 1000),
    event_id: e.conversionId,
    action_source: "website",
    user_data: {
      fbc,
      ...(clickIds.fbp && { fbp: clickIds.fbp }),
      client_ip_address: ip ?? undefined,
      client_user_agent: userAgent ?? undefined,
    },
    custom_data: { value: e.value, currency: e.currency },
  };
  const base = `${api.endpoint ?? "https://graph.facebook.com"}/${META_VERSION}/${encodeURIComponent(api.pixelId)}/events`;
  return {
    url: `${base}?${new URLSearchParams({ access_token: api.accessToken })}`,
    shownUrl: base,
    headers: JSON_TYPE,
    body: JSON.stringify({ data: [event], ...(api.testEventCode && { test_event_code: api.testEventCode }) }),
  };
}

/**
 * TikTok Events API 2.0, POST /open_api/v1.3/event/track/ with the Access-Token header
 * (business-api.tiktok.com/portal/docs?id=1771101303285761); event_time in Unix seconds.
 */
export function tiktokRequest(api: Of<"tiktok">, e: PlatformEvent): PlatformRequest {
  const url = `${api.endpoint ?? "https://business-api.tiktok.com"}/open_api/v1.3/event/track/`;
  const { clickIds, ip, userAgent } = e.visit;
  const body = {
    event_source: "web",
    event_source_id: api.pixelCode,
    ...(api.testEventCode && { test_event_code: api.testEventCode }),
    data: [
      {
        event: e.eventName,
        event_time: Math.floor(e.conversionTime / 1000),
        event_id: e.conversionId,
        user: { ttclid: clickIds.ttclid, ip: ip ?? undefined, user_agent: userAgent ?? undefined },
        properties: { value: e.value, currency: e.currency },
      },
    ],
  };
  return { url, shownUrl: url, headers: { ...JSON_TYPE, "Access-Token": api.accessToken }, body: JSON.stringify(body) };
}

/**
 * Google Ads' "yyyy-mm-dd hh:mm:ss+|-hh:mm" with the zone given, here always UTC
 * (developers.google.com/google-ads/api/reference/rpc/v26/ClickConversion, conversion_date_time).
 */
export function googleDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")}+00:00`;
}

function googleHeaders(api: Of<"google">, accessToken: string): Record<string, string> {
  return {
    ...JSON_TYPE,
    Authorization: `Bearer ${accessToken}`,
    "developer-token": api.developerToken,
    ...(api.loginCustomerId && { "login-customer-id": api.loginCustomerId }),
  };
}

const conversionAction = (api: Of<"google">) =>
  `customers/${api.customerId}/conversionActions/${api.conversionActionId}`;

/** ConversionUploadService.UploadClickConversions over REST (camelCase JSON); one click ID, gclid first. */
export function googleUploadRequest(
  api: Of<"google">,
  accessToken: string,
  e: PlatformEvent,
  validateOnly = false,
): PlatformRequest {
  const url = `${api.endpoint ?? "https://googleads.googleapis.com"}/${GOOGLE_ADS_VERSION}/customers/${api.customerId}:uploadClickConversions`;
  const { gclid, gbraid, wbraid } = e.visit.clickIds;
  const clickId = gclid ? { gclid } : gbraid ? { gbraid } : { wbraid };
  const conversion = {
    ...clickId,
    conversionAction: conversionAction(api),
    conversionDateTime: googleDateTime(e.conversionTime),
    conversionValue: e.value,
    currencyCode: e.currency,
    orderId: e.conversionId,
  };
  const body = { conversions: [conversion], partialFailure: true, ...(validateOnly && { validateOnly: true }) };
  return { url, shownUrl: url, headers: googleHeaders(api, accessToken), body: JSON.stringify(body) };
}

/**
 * ConversionAdjustmentUploadService.UploadConversionAdjustments: a RETRACTION of the upload with
 * the same orderId (developers.google.com/google-ads/api/docs/conversions/upload-adjustments).
 */
export function googleRetractionRequest(
  api: Of<"google">,
  accessToken: string,
  orderId: string,
  adjustedAt: number,
): PlatformRequest {
  const url = `${api.endpoint ?? "https://googleads.googleapis.com"}/${GOOGLE_ADS_VERSION}/customers/${api.customerId}:uploadConversionAdjustments`;
  const adjustment = {
    conversionAction: conversionAction(api),
    adjustmentType: "RETRACTION",
    orderId,
    adjustmentDateTime: googleDateTime(adjustedAt),
  };
  const body = { conversionAdjustments: [adjustment], partialFailure: true };
  return { url, shownUrl: url, headers: googleHeaders(api, accessToken), body: JSON.stringify(body) };
}
