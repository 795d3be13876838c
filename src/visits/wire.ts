import { type AdClickIds, pickAdClickIds } from "./ad-click-ids";
import { ATTRIBUTE_DIMS } from "./dims";
import type { LanderClickRecord, VisitRecord } from "./types";

/**
 * The queue message: one isolate's batch of visits and lander clicks, as compact JSON arrays
 * (a message holds at most 128 KB). `id` makes a redelivered message recognisable; it starts
 * with the send time in base 36 so old ids sort first.
 */
export interface VisitMessage {
  id: string;
  rows: WireRow[];
}

/**
 * A visit: "v", then the fields of StoredVisit in order, attributes in ATTRIBUTE_DIMS order, then
 * the ad click IDs as an object (or null). A message of an older version, without that last
 * element, decodes with none.
 */
type WireVisit = ["v", ...unknown[]];
/** A lander click: "c", clickId, visitTime, createdAt, campaignId, landerId, pathId, offerId. */
type WireClick = ["c", string, number, number, number, number, number | null, number];
export type WireRow = WireVisit | WireClick;

/** A visit as storage handles it: strings still plain, attribute values in ATTRIBUTE_DIMS order. */
export interface StoredVisit {
  clickId: string;
  createdAt: number;
  campaignId: number;
  trafficSourceId: number | null;
  offerId: number | null;
  landerId: number | null;
  pathId: number | null;
  ruleId: number | null;
  externalId: string | null;
  costMicros: number;
  ip: string | null;
  asn: number | null;
  bot: boolean;
  userAgent: string | null;
  attributes: (string | null)[];
  adClickIds: AdClickIds;
}

export function newMessageId(now = Date.now()): string {
  return `${now.toString(36).padStart(9, "0")}-${crypto.randomUUID()}`;
}

export function encodeVisit(v: VisitRecord): string {
  const row: unknown[] = [
    "v",
    v.clickId,
    v.createdAt,
    v.campaignId,
    v.trafficSourceId,
    v.offerId,
    v.landerId,
    v.pathId,
    v.ruleId,
    v.externalId,
    v.costMicros,
    v.ip,
    v.asn,
    v.bot ? 1 : 0,
    v.userAgent,
  ];
  // A loop rather than a spread of a mapped array: one array less on every click.
  for (const d of ATTRIBUTE_DIMS) row.push(d.read(v));
  row.push(v.adClickIds ?? null);
  return JSON.stringify(row);
}

export function encodeLanderClick(c: LanderClickRecord): string {
  const row: WireClick = ["c", c.clickId, c.visitTime, c.createdAt, c.campaignId, c.landerId, c.pathId, c.offerId];
  return JSON.stringify(row);
}

/** The message body for rows made by encodeVisit / encodeLanderClick, without re-serializing them. */
export function messageBody(id: string, rows: string[]): string {
  return `{"id":${JSON.stringify(id)},"rows":[${rows.join(",")}]}`;
}

const str = (x: unknown) => (typeof x === "string" ? x : null);
const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : null);

export function decodeVisit(row: unknown[]): StoredVisit {
  const [, clickId, createdAt, campaignId, ts, offer, lander, path, rule, ext, cost, ip, asn, bot, ua, ...attrs] = row;
  if (typeof clickId !== "string" || num(createdAt) === null || num(campaignId) === null) {
    throw new Error("malformed visit row");
  }
  return {
    clickId,
    createdAt: createdAt as number,
    campaignId: campaignId as number,
    trafficSourceId: num(ts),
    offerId: num(offer),
    landerId: num(lander),
    pathId: num(path),
    ruleId: num(rule),
    externalId: str(ext),
    costMicros: num(cost) ?? 0,
    ip: str(ip),
    asn: num(asn),
    bot: bot === 1,
    userAgent: str(ua),
    attributes: ATTRIBUTE_DIMS.map((_, i) => str(attrs[i])),
    adClickIds: pickAdClickIds(attrs[ATTRIBUTE_DIMS.length]),
  };
}

export function decodeLanderClick(row: unknown[]): LanderClickRecord {
  const [, clickId, visitTime, createdAt, campaignId, landerId, pathId, offerId] = row;
  if (
    typeof clickId !== "string" ||
    [visitTime, createdAt, campaignId, landerId, offerId].some((x) => num(x) === null)
  ) {
    throw new Error("malformed lander click row");
  }
  return {
    clickId,
    visitTime: visitTime as number,
    createdAt: createdAt as number,
    campaignId: campaignId as number,
    landerId: landerId as number,
    pathId: num(pathId),
    offerId: offerId as number,
  };
}

/** Parses a queue message body; throws on anything that is not one. */
export function parseMessage(body: unknown): VisitMessage {
  const parsed = typeof body === "string" ? (JSON.parse(body) as unknown) : body;
  const m = parsed as Partial<VisitMessage> | null;
  if (!m || typeof m.id !== "string" || !Array.isArray(m.rows)) throw new Error("malformed visit message");
  return m as VisitMessage;
}
