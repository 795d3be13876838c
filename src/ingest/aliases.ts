import type { ConversionField, ConversionRequest } from "./types";

/**
 * Parameter names of the postback and pixel (docs/tracking.md, docs/conversions.md): each field's own name first, then the
 * names other trackers use, so a network's existing postback works after changing only the host.
 * The first name present with a non-blank value wins.
 */
export const HIT_NAMES: Record<ConversionField, readonly string[]> = {
  clickId: ["cid", "clickid", "click_id", "subid", "sub_id", "cnv_id"],
  payout: ["payout", "revenue", "sum"],
  txid: ["txid", "tid", "transaction_id"],
  type: ["et", "event"],
  status: ["status", "cnv_status"],
  currency: ["currency"],
  time: ["time"],
};

/** Names no conversion keeps: every field name above, and the postback secret. */
const READ = new Set([...Object.values(HIT_NAMES).flat(), "secret"]);

/** Extra parameters kept with a conversion: the first 20, names up to 64, values up to 256 characters. */
export const MAX_EXTRA_KEYS = 20;
export const MAX_EXTRA_NAME = 64;
export const MAX_EXTRA_VALUE = 256;

export interface ReadHit {
  fields: Omit<ConversionRequest, "source" | "clickId"> & { clickId?: string };
  /** Field (by its own name: cid, payout, …) -> the parameter it was read from. */
  readFrom: Record<string, string>;
  extra: Record<string, string>;
}

export function readHit(params: Record<string, string>): ReadHit {
  const fields: ReadHit["fields"] = {};
  const readFrom: Record<string, string> = Object.create(null);
  for (const [field, names] of Object.entries(HIT_NAMES) as [ConversionField, readonly string[]][]) {
    const name = names.find((n) => Object.hasOwn(params, n) && params[n]!.trim() !== "");
    if (name === undefined) continue;
    fields[field] = params[name]!;
    readFrom[names[0]!] = name;
  }
  const extra: Record<string, string> = Object.create(null);
  let kept = 0;
  for (const [name, value] of Object.entries(params)) {
    if (READ.has(name) || kept === MAX_EXTRA_KEYS) continue;
    extra[name.slice(0, MAX_EXTRA_NAME)] = value.slice(0, MAX_EXTRA_VALUE);
    kept++;
  }
  return { fields, readFrom, extra };
}

/** How a refusal names a field: the parameter it was read from, else the field's own name. */
export function paramName(field: ConversionField, readFrom: Record<string, string>): string {
  const own = HIT_NAMES[field][0]!;
  return readFrom[own] ?? own;
}

/** The 400 for a hit without any click-ID name. */
export const MISSING_CLICK_ID = `is required (also read from ${HIT_NAMES.clickId.slice(1).join(", ")})`;
