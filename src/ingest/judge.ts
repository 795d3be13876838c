import { type ClickIdData, verifyClickId } from "../lib/clickid";
import type { Catalog } from "./catalog";
import {
  checkTypeName,
  firstIssue,
  MAX_RAW_LENGTH,
  type Parsed,
  parsePayout,
  parseTime,
  parseTxid,
  type RawRequest,
  rawRequestSchema,
} from "./fields";
import type { ConversionField, ConversionRequest, ConversionSource, IngestResult } from "./types";

/** A conversion ready for its shard: every field parsed and attributed, only the id left to mint. */
export interface PendingConversion {
  dedupeKey: string;
  clickId: string;
  /** The visit's time, from the click ID (epoch ms): finds the visit for the rollups. */
  visitTime: number;
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

/** A request whose shapes and fields were checked; only its click ID's tag is left to verify. */
type FieldsChecked = Omit<CheckedRequest, "click"> & { fieldRejection: Rejection | null };

/**
 * Step 1: everything that needs no storage — shapes, the click ID's tag, payout, txid, time. A
 * batch verifies each distinct click ID once (an upload repeats one per transaction ID), and the
 * rejection a request gets is the one it would get if sent alone.
 */
export async function checkRequests(
  secret: string,
  requests: ConversionRequest[],
): Promise<(CheckedRequest | Rejection)[]> {
  const checked = requests.map(checkFields);
  const ids = new Set<string>();
  for (const c of checked) if (!("status" in c)) ids.add(c.clickId);
  const clicks = new Map<string, ClickIdData | null>();
  const verify = async (id: string) => void clicks.set(id, await verifyClickId(secret, id));
  const [first, ...rest] = ids;
  // The first verification imports the key once, before the rest run side by side.
  if (first !== undefined) await verify(first);
  await Promise.all(rest.map(verify));
  return checked.map((c) => {
    if ("status" in c) return c;
    const click = clicks.get(c.clickId);
    if (!click) return reject("clickId", "is not a click ID issued by this tracker");
    if (c.fieldRejection) return c.fieldRejection;
    const { fieldRejection: _, ...fields } = c;
    return { ...fields, click };
  });
}

function checkFields(request: ConversionRequest): FieldsChecked | Rejection {
  const r = rawFields(request);
  if ("status" in r) return r;
  if (r.clickId === "") return reject("clickId", "is required");
  const fields: [ConversionField, Parsed<unknown> | undefined][] = [
    ["payout", r.payout === undefined ? undefined : parsePayout(r.payout)],
    ["txid", r.txid === undefined ? undefined : parseTxid(r.txid)],
    ["type", r.type === undefined ? undefined : checkTypeName(r.type)],
    ["time", r.time === undefined ? undefined : parseTime(r.time)],
  ];
  let fieldRejection: Rejection | null = null;
  for (const [field, parsed] of fields) {
    if (parsed && !parsed.ok) {
      fieldRejection = reject(field, parsed.message);
      break;
    }
  }
  const value = <T>(p: Parsed<unknown> | undefined) => (p?.ok ? (p.value as T) : undefined);
  return {
    source: request.source,
    clickId: r.clickId,
    payoutMicros: value<number>(fields[0]![1]),
    txid: value<string>(fields[1]![1]) ?? null,
    typeName: value<string>(fields[2]![1]) ?? null,
    conversionTime: value<number>(fields[3]![1]),
    fieldRejection,
  };
}

/**
 * rawRequestSchema's result: strings within the length limit are trimmed here directly (an upload
 * has 100,000 of them); anything else goes through zod, so every error message stays its own.
 */
function rawFields(request: ConversionRequest): RawRequest | Rejection {
  const { clickId, payout, txid, type, time } = request;
  if (
    typeof clickId === "string" &&
    clickId.length <= MAX_RAW_LENGTH &&
    [payout, txid, type, time].every(isPlainOptional)
  ) {
    return {
      clickId: clickId.trim(),
      payout: optional(payout),
      txid: optional(txid),
      type: optional(type),
      time: optional(time),
    };
  }
  const raw = rawRequestSchema.safeParse(request);
  if (raw.success) return raw.data;
  const { field, message } = firstIssue(raw.error);
  return reject(field, message);
}

const isPlainOptional = (v: unknown) => v === undefined || (typeof v === "string" && v.length <= MAX_RAW_LENGTH);

function optional(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t === "" ? undefined : t;
}

/** Step 2: attribution, conversion type and the payout rules of SPEC §4, against the batch's catalog. */
export function resolveRequest(
  req: CheckedRequest,
  catalog: Catalog,
  receivedAt: number,
): PendingConversion | Rejection {
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
    visitTime: req.click.visitTime,
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
