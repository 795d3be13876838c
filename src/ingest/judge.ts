import { type ClickIdData, verifyClickId } from "../lib/clickid";
import { convertMicros } from "../lib/money";
import { type ConversionStatus, STATUS_WORDS, statusOf } from "../model/status";
import type { Catalog } from "./catalog";
import {
  checkTypeName,
  FORBIDDEN_CHARS,
  firstIssue,
  MAX_PAYOUT,
  MAX_PAYOUT_MICROS,
  maxLength,
  type Parsed,
  parseCurrency,
  parsePayout,
  parseTime,
  parseTxid,
  type RawRequest,
  rawRequestSchema,
} from "./fields";
import type { ConversionField, ConversionRequest, ConversionSource, IngestResult } from "./types";

/** A conversion ready for its shard: every field parsed and attributed, only the id left to mint. */
/** One conversion per click ID, conversion type and transaction ID (no txid: one per click and type). */
export const dedupeKeyOf = (clickId: string, typeId: number | null, txid: string | null) =>
  `${clickId}|${typeId ?? ""}|${txid ?? ""}`;

export interface PendingConversion {
  dedupeKey: string;
  clickId: string;
  /** The visit's time, from the click ID (epoch ms): finds the visit for the rollups. */
  visitTime: number;
  campaignId: number;
  /** 0: a lander visit whose visitor never clicked through to an offer (offer unknown). */
  offerId: number;
  /** The lander the visit went through (from the click ID), for the conversion's events. */
  landerId: number | null;
  typeId: number | null;
  txid: string | null;
  status: ConversionStatus;
  /** In the account currency. */
  payoutMicros: number;
  /** Whether the request named a payout: a transition without one keeps the old payout. */
  payoutGiven: boolean;
  /** The payout as sent and its currency (the account's when none was named). */
  currency: string;
  originalPayoutMicros: number;
  /** JSON object of the parameters no field reads; null when none. */
  extra: string | null;
  /** The time given with the request, or of receipt: a registration's conversion time, a transition's time. */
  conversionTime: number;
  receivedAt: number;
  source: ConversionSource;
}

export type Rejection = Extract<IngestResult, { status: "rejected" }>;

/** A request whose own fields are valid, before the catalog lookup (types, offer payout, words, rates). */
export interface CheckedRequest {
  source: ConversionSource;
  clickId: string;
  click: ClickIdData;
  payoutMicros: number | undefined;
  txid: string | null;
  typeName: string | null;
  conversionTime: number | undefined;
  statusWord: string | null;
  currency: string | null;
  extra: Record<string, string> | undefined;
}

/** Told apart by httpStatus: a conversion's own `status` may be "rejected" too. */
export const isRejection = (x: object): x is Rejection => "httpStatus" in x;

export function reject(field: ConversionField, message: string, httpStatus: 400 | 404 = 400): Rejection {
  return { status: "rejected", field, error: `${field}: ${message}`, message, httpStatus };
}

/** A request whose shapes and fields were checked; only its click ID's tag is left to verify. */
type FieldsChecked = Omit<CheckedRequest, "click"> & { fieldRejection: Rejection | null };

/**
 * Step 1: everything that needs no storage — shapes, the click ID's tag, payout, txid, time,
 * currency code. A batch verifies each distinct click ID once (an upload repeats one per
 * transaction ID), and the rejection a request gets is the one it would get if sent alone.
 */
export async function checkRequests(
  secret: string,
  requests: ConversionRequest[],
): Promise<(CheckedRequest | Rejection)[]> {
  const checked = requests.map(checkFields);
  const ids = new Set<string>();
  for (const c of checked) if (!isRejection(c)) ids.add(c.clickId);
  const clicks = new Map<string, ClickIdData | null>();
  const verify = async (id: string) => void clicks.set(id, await verifyClickId(secret, id));
  const [first, ...rest] = ids;
  // The first verification imports the key once, before the rest run side by side.
  if (first !== undefined) await verify(first);
  await Promise.all(rest.map(verify));
  return checked.map((c) => {
    if (isRejection(c)) return c;
    const click = clicks.get(c.clickId);
    if (!click) return reject("clickId", "is not a click ID issued by this tracker");
    if (c.fieldRejection) return c.fieldRejection;
    const { fieldRejection: _, ...fields } = c;
    return { ...fields, click };
  });
}

function checkFields(request: ConversionRequest): FieldsChecked | Rejection {
  const r = rawFields(request);
  if (isRejection(r)) return r;
  if (r.clickId === "") return reject("clickId", "is required");
  const fields: [ConversionField, Parsed<unknown> | undefined][] = [
    ["payout", r.payout === undefined ? undefined : parsePayout(r.payout)],
    ["txid", r.txid === undefined ? undefined : parseTxid(r.txid)],
    ["type", r.type === undefined ? undefined : checkTypeName(r.type)],
    ["time", r.time === undefined ? undefined : parseTime(r.time)],
    ["currency", r.currency === undefined ? undefined : parseCurrency(r.currency)],
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
    currency: value<string>(fields[4]![1]) ?? null,
    statusWord: r.status ?? null,
    extra: request.extra,
    fieldRejection,
  };
}

const RAW_FIELDS = ["clickId", "payout", "txid", "type", "time", "status", "currency"] as const;

/**
 * rawRequestSchema's result: plain strings within their limits are trimmed here directly (an
 * upload has 100,000 of them); anything else goes through zod, so every error message stays its own.
 */
function rawFields(request: ConversionRequest): RawRequest | Rejection {
  const plain = RAW_FIELDS.every((field) => {
    const v = request[field];
    if (v === undefined) return field !== "clickId";
    return typeof v === "string" && v.length <= maxLength(field) && !FORBIDDEN_CHARS.test(v);
  });
  if (plain) {
    const out = { clickId: request.clickId.trim() } as RawRequest;
    for (const field of RAW_FIELDS) if (field !== "clickId") out[field] = optional(request[field]);
    return out;
  }
  const raw = rawRequestSchema.safeParse(request);
  if (raw.success) return raw.data;
  const { field, message } = firstIssue(raw.error);
  return reject(field, message);
}

function optional(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t === "" ? undefined : t;
}

const KNOWN_WORDS = [...STATUS_WORDS.keys()].join(", ");

/**
 * Step 2: attribution, conversion type, status word, and the payout rules of docs/conversions.md
 * (currency converted at the catalog's rates), against the batch's catalog.
 */
export function resolveRequest(
  req: CheckedRequest,
  catalog: Catalog,
  receivedAt: number,
): PendingConversion | Rejection {
  const offer = catalog.offers.get(req.click.offerId);
  const offerKnown = req.click.offerId !== 0;
  if ((offerKnown && !offer) || !catalog.campaignIds.has(req.click.campaignId)) {
    return reject("clickId", "its campaign or offer no longer exists, so the conversion cannot be attributed", 404);
  }
  let typeId: number | null = null;
  if (req.typeName !== null) {
    const type = catalog.typesByName.get(req.typeName);
    if (!type || type.archived) return reject("type", `unknown conversion type "${req.typeName}"`);
    typeId = type.id;
  }
  const { account } = catalog;
  const status = req.statusWord === null ? "approved" : statusOf(req.statusWord, account.statusMap);
  if (status === null) {
    return reject(
      "status",
      `unknown status "${req.statusWord!.slice(0, 64)}": use ${KNOWN_WORDS} or a word of the settings' statusMap`,
    );
  }
  const currency = req.currency ?? account.currency;
  const rate = currency === account.currency ? undefined : account.rates.get(currency);
  if (currency !== account.currency && rate === undefined) {
    return reject(
      "currency",
      `no exchange rate for ${currency} into ${account.currency} is set (settings, currencyRates)`,
    );
  }
  // Upload: an explicit payout is used as given. Postback and pixel: a manual offer's amount wins
  // (it is in the account currency already).
  let original: number;
  let inAccount = false;
  if (req.source === "upload" && req.payoutMicros !== undefined) original = req.payoutMicros;
  else if (offer?.payoutMode === "manual") {
    original = offer.payoutMicros;
    inAccount = true;
  } else original = req.payoutMicros ?? 0;
  const payoutMicros = inAccount || rate === undefined ? original : convertMicros(original, rate);
  if (payoutMicros === null) return reject("payout", `is too large once converted from ${currency}`);
  if (Math.abs(payoutMicros) > MAX_PAYOUT_MICROS)
    return reject("payout", `must be at most ${MAX_PAYOUT} (in ${account.currency}) per conversion`);

  return {
    dedupeKey: dedupeKeyOf(req.clickId, typeId, req.txid ?? null),
    clickId: req.clickId,
    visitTime: req.click.visitTime,
    campaignId: req.click.campaignId,
    offerId: req.click.offerId,
    landerId: req.click.landerId,
    typeId,
    txid: req.txid,
    status,
    payoutMicros,
    payoutGiven: req.payoutMicros !== undefined,
    currency: inAccount ? account.currency : currency,
    originalPayoutMicros: original,
    extra: req.extra && Object.keys(req.extra).length > 0 ? JSON.stringify(req.extra) : null,
    conversionTime: req.conversionTime ?? receivedAt,
    receivedAt,
    source: req.source,
  };
}
