import { verifyClickId, type ClickIdData } from "../clickid";
import type { Catalog } from "./catalog";
import { checkTypeName, firstIssue, parsePayout, parseTime, parseTxid, rawRequestSchema, type Parsed } from "./fields";
import type { ConversionField, ConversionRequest, ConversionSource, IngestResult } from "./types";

/** A conversion ready for its shard: every field parsed and attributed, only the id left to mint. */
export interface PendingConversion {
  dedupeKey: string;
  clickId: string;
  campaignId: number;
  offerId: number;
  typeId: number | null;
  txid: string | null;
  payoutMicros: number;
  conversionTime: number;
  receivedAt: number;
  source: ConversionSource;
}

export type Rejection = Extract<IngestResult, { status: "rejected" }>;

/** A request whose own fields are valid, before the catalog lookup (types, offer payout). */
export interface CheckedRequest {
  source: ConversionSource;
  clickId: string;
  click: ClickIdData;
  payoutMicros: number | undefined;
  txid: string | null;
  typeName: string | null;
  conversionTime: number | undefined;
}

export function reject(field: ConversionField, message: string, httpStatus: 400 | 404 = 400): Rejection {
  return { status: "rejected", field, error: `${field}: ${message}`, message, httpStatus };
}

/** Step 1: everything that needs no storage — shapes, the click ID's tag, payout, txid, time. */
export async function checkRequest(secret: string, request: ConversionRequest): Promise<CheckedRequest | Rejection> {
  const raw = rawRequestSchema.safeParse(request);
  if (!raw.success) {
    const { field, message } = firstIssue(raw.error);
    return reject(field, message);
  }
  const r = raw.data;
  if (r.clickId === "") return reject("clickId", "is required");
  const click = await verifyClickId(secret, r.clickId);
  if (!click) return reject("clickId", "is not a click ID issued by this tracker");

  const fields: [ConversionField, Parsed<unknown> | undefined][] = [
    ["payout", r.payout === undefined ? undefined : parsePayout(r.payout)],
    ["txid", r.txid === undefined ? undefined : parseTxid(r.txid)],
    ["type", r.type === undefined ? undefined : checkTypeName(r.type)],
    ["time", r.time === undefined ? undefined : parseTime(r.time)],
  ];
  for (const [field, parsed] of fields) if (parsed && !parsed.ok) return reject(field, parsed.message);
  const value = <T>(p: Parsed<unknown> | undefined) => (p && p.ok ? (p.value as T) : undefined);
  return {
    source: request.source,
    clickId: r.clickId,
    click,
    payoutMicros: value<number>(fields[0]![1]),
    txid: value<string>(fields[1]![1]) ?? null,
    typeName: value<string>(fields[2]![1]) ?? null,
    conversionTime: value<number>(fields[3]![1]),
  };
}

/** Step 2: attribution, conversion type and the payout rules of SPEC §4, against the batch's catalog. */
export function resolveRequest(req: CheckedRequest, catalog: Catalog, receivedAt: number): PendingConversion | Rejection {
  const offer = catalog.offers.get(req.click.offerId);
  if (!offer || !catalog.campaignIds.has(req.click.campaignId)) {
    return reject("clickId", "its campaign or offer no longer exists, so the conversion cannot be attributed", 404);
  }
  let typeId: number | null = null;
  if (req.typeName !== null) {
    const type = catalog.typesByName.get(req.typeName);
    if (!type || type.archived) return reject("type", `unknown conversion type "${req.typeName}"`);
    typeId = type.id;
  }
  // Upload: an explicit payout is used as given. Postback and pixel: a manual offer's amount wins.
  let payoutMicros: number;
  if (req.source === "upload" && req.payoutMicros !== undefined) payoutMicros = req.payoutMicros;
  else if (offer.payoutMode === "manual") payoutMicros = offer.payoutMicros;
  else payoutMicros = req.payoutMicros ?? 0;

  return {
    dedupeKey: `${req.clickId}|${typeId ?? ""}|${req.txid ?? ""}`,
    clickId: req.clickId,
    campaignId: req.click.campaignId,
    offerId: req.click.offerId,
    typeId,
    txid: req.txid,
    payoutMicros,
    conversionTime: req.conversionTime ?? receivedAt,
    receivedAt,
    source: req.source,
  };
}
