import { DELIVERY_STATES, postbackLog } from "../db/schema";
import { CONVERSION_STATUSES } from "../db/schema/conversions";

/** docs/conversions.md: a conversion's status, and the words networks use for each. */
export type ConversionStatus = (typeof CONVERSION_STATUSES)[number];
export { CONVERSION_STATUSES };

/**
 * The built-in words; `statusMap` in the settings adds others (and may not redefine these). A Map,
 * not an object: a network's word is outside input, and "__proto__" or "constructor" must be
 * unknown words, not Object.prototype's members.
 */
export const STATUS_WORDS: ReadonlyMap<string, ConversionStatus> = new Map([
  ["approved", "approved"],
  ["sale", "approved"],
  ["pending", "pending"],
  ["lead", "pending"],
  ["hold", "pending"],
  ["rejected", "rejected"],
  ["declined", "rejected"],
  ["chargeback", "rejected"],
]);

export const MAX_STATUS_WORD = 64;

/** Words compare trimmed and case-insensitively ("Lead" = "lead"). */
export const normalizeStatusWord = (word: string) => word.trim().toLowerCase();

/** The status a word means, through the built-ins then the account's map; null if unknown. */
export function statusOf(word: string, statusMap: Readonly<Record<string, ConversionStatus>>): ConversionStatus | null {
  const w = normalizeStatusWord(word);
  return STATUS_WORDS.get(w) ?? (Object.hasOwn(statusMap, w) ? statusMap[w]! : null);
}

/** The transitions docs/conversions.md applies; anything else (the same status included) is a duplicate. */
const TRANSITIONS = new Set(["pending>approved", "pending>rejected", "approved>rejected"]);

export function isTransition(from: ConversionStatus, to: ConversionStatus): boolean {
  return TRANSITIONS.has(`${from}>${to}`);
}

/** What became of a postback hit, as the log table's column allows it (API filter, page filter, writer). */
export const LOG_STATUSES = postbackLog.status.enumValues;
export type LogStatus = (typeof LOG_STATUSES)[number];

/** Where a postback to a traffic source stands. */
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export { DELIVERY_STATES };
