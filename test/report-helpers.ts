import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { type ConversionRecord, writeConversions } from "../src/ingest/d1-write";
import { dedupeKeyOf } from "../src/ingest/judge";
import { localDay } from "../src/lib/timezone";
import { applyConversionEvents } from "../src/visits/events";
import { applyOrphans } from "../src/visits/maintenance";
import type { VisitRecord } from "../src/visits/types";
import { encodeVisit, newMessageId, type WireRow } from "../src/visits/wire";
import { writeVisitMessages } from "../src/visits/write";
import { api } from "./helpers";

/**
 * Visits and conversions written straight into the real local D1 through storage's own writers
 * (what the queue consumer and the ingest shard call), for reports over chosen times and amounts.
 */
/** When this test file started: a minute before, so a test may record up to a minute back. */
const fileStart = Date.now() - 60_000;

/**
 * The UTC days from this file's start to now, read at the moment of the query: what a test
 * recorded at the real time stays in range when the file runs across midnight.
 */
export function daysSince(): { from: string; to: string } {
  return { from: localDay("UTC", fileStart), to: localDay("UTC", Date.now()) };
}

export const daysQuery = () => new URLSearchParams(daysSince()).toString();

let seq = 0;
const visitTimes = new Map<string, number>();

/** A visit with nothing but the given fields set. */
export function visitRecord(v: Partial<VisitRecord> & { clickId: string; campaignId: number; createdAt: number }) {
  const blank: VisitRecord = {
    clickId: v.clickId,
    createdAt: v.createdAt,
    campaignId: v.campaignId,
    trafficSourceId: null,
    offerId: null,
    landerId: null,
    pathId: null,
    ruleId: null,
    externalId: null,
    costMicros: 0,
    vars: Array(10).fill(null),
    deviceType: null,
    brand: null,
    model: null,
    os: null,
    osVersion: null,
    browser: null,
    browserVersion: null,
    language: null,
    country: null,
    region: null,
    city: null,
    isp: null,
    asn: null,
    ip: null,
    referrerDomain: null,
    bot: false,
    userAgent: null,
  };
  return { ...blank, ...v };
}

/** Writes visits as the queue consumer does, 500 to a message. */
export async function writeVisits(records: VisitRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 500) {
    const rows = records.slice(i, i + 500).map((r) => JSON.parse(encodeVisit(r)) as WireRow);
    await writeVisitMessages(env.DB, [{ id: newMessageId(), rows }]);
  }
  for (const r of records) visitTimes.set(r.clickId, r.createdAt);
}

export async function insertVisits(
  n: number,
  v: { campaignId: number; offerId: number; at: string | number; country?: string | null; costMicros?: number },
): Promise<string[]> {
  const ids = Array.from({ length: n }, () => `v${Date.now()}_${String(seq++).padStart(8, "0")}`.padEnd(32, "0"));
  const createdAt = typeof v.at === "number" ? v.at : Date.parse(v.at);
  await writeVisits(
    ids.map((clickId) =>
      visitRecord({
        clickId,
        createdAt,
        campaignId: v.campaignId,
        offerId: v.offerId,
        country: v.country ?? null,
        costMicros: v.costMicros ?? 0,
      }),
    ),
  );
  return ids;
}

/** The registration fields a test names; the rest are the shard's, as conversionRecord fills them. */
type ConversionFields = Partial<ConversionRecord> & Pick<ConversionRecord, "clickId" | "campaignId" | "offerId">;

/**
 * A conversion's first version as the ingest shard registers it: an approved postback with no
 * type, txid, lander or currency, received when it happened, the given fields over these
 * defaults (an override left undefined keeps its default). For writeConversions.
 */
export function conversionRecord(fields: ConversionFields): ConversionRecord {
  const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as ConversionFields;
  const id = given.id ?? crypto.randomUUID();
  const at = given.conversionTime ?? Date.now();
  return {
    id,
    // Without a txid each test conversion is its own (the id stands in for one).
    dedupeKey: dedupeKeyOf(given.clickId, given.typeId ?? null, given.txid ?? id),
    visitTime: at,
    landerId: null,
    typeId: null,
    txid: null,
    status: "approved",
    payoutMicros: 0,
    currency: null,
    originalPayoutMicros: null,
    extra: null,
    conversionTime: at,
    receivedAt: at,
    source: "postback",
    version: 1,
    statusChangedAt: null,
    previousStatus: null,
    previousPayoutMicros: 0,
    ...given,
  };
}

export type ConversionInput = Omit<ConversionFields, "clickId" | "conversionTime"> & {
  at: string | number;
  payoutMicros: number;
  clickId?: string;
};

/**
 * Conversions as the ingest shard writes them (rows and events), their events then applied as
 * the cron does. A click ID without a stored visit is applied as the cron does once its visit is
 * overdue, so reports count it at once.
 */
export async function insertConversions(list: ConversionInput[]): Promise<string[]> {
  const records = list.map(({ at, ...fields }) => {
    const id = `t${Date.now().toString(36)}_${String(seq++).padStart(8, "0")}`;
    const clickId = fields.clickId ?? `c${id}`.padEnd(32, "0");
    const time = typeof at === "number" ? at : Date.parse(at);
    const visitTime = Math.floor((visitTimes.get(clickId) ?? time) / 1000) * 1000;
    return conversionRecord({ id, ...fields, clickId, visitTime, conversionTime: time });
  });
  await writeConversions(env.DB, records);
  await applyConversionEvents(env.DB);
  await applyOrphans(env.DB, Number.MAX_SAFE_INTEGER);
  return records.map((r) => r.id);
}

export async function getJson(path: string): Promise<any> {
  const res = await api("GET", path);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

export function report(params: Record<string, string | number>) {
  return getJson(`/report?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);
}
