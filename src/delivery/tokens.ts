import { microsToDecimal } from "../lib/money";
import { fillUrlTemplate } from "../lib/url-template";
import { VAR_SLOTS } from "../model/vars";

/** The tokens a traffic source's postback URL may carry (docs/conversions.md); anything else in braces stays. */
export const POSTBACK_TOKENS = [
  "externalid",
  "payout",
  "txid",
  "et",
  "status",
  "clickid",
  "campaign.id",
  "offer.id",
  "trafficsource.id",
  ...Array.from({ length: VAR_SLOTS }, (_, i) => `var${i + 1}`),
  "country.code",
] as const;

const KNOWN = new Set<string>(POSTBACK_TOKENS);

/** Tokens whose values live on the visit, not on the conversion. */
const VISIT_TOKEN = /\{(externalid|var(?:[1-9]|10)|country\.code)\}/;

export function needsVisit(template: string): boolean {
  return VISIT_TOKEN.test(template);
}

/** What a visit adds to a postback: the network's click ID, the variables, the country. */
export interface VisitValues {
  externalId: string | null;
  /** var1 … var10. */
  vars: (string | null)[];
  country: string | null;
}

export interface DeliveryValues {
  clickId: string;
  campaignId: number;
  offerId: number;
  trafficSourceId: number;
  conversionStatus: string;
  typeName: string | null;
  txid: string | null;
  payoutMicros: number;
}

/** Every token's value for one delivery; visit tokens are empty without a visit. */
export function postbackTokens(d: DeliveryValues, visit: VisitValues | null): Record<string, string | null> {
  const values: Record<string, string | null> = {
    externalid: visit?.externalId ?? null,
    payout: String(microsToDecimal(d.payoutMicros)),
    txid: d.txid,
    et: d.typeName,
    status: d.conversionStatus,
    clickid: d.clickId,
    "campaign.id": String(d.campaignId),
    "offer.id": String(d.offerId),
    "trafficsource.id": String(d.trafficSourceId),
    "country.code": visit?.country ?? null,
  };
  for (let i = 0; i < 10; i++) values[`var${i + 1}`] = visit?.vars[i] ?? null;
  return values;
}

/** Known tokens filled by the one rule of lib/url-template.ts (as the click's fillTokens does). */
export function fillPostbackUrl(template: string, values: Record<string, string | null>): string {
  return fillUrlTemplate(template, KNOWN, (name) => (Object.hasOwn(values, name) ? values[name] : null));
}
