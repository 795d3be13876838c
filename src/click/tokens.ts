import { fillUrlTemplate, templateTokens } from "../lib/url-template";
import { VAR_SLOTS } from "../model/vars";
import { AD_CLICK_ID_KEYS, type AdClickIdKey, type AdClickIds } from "../visits/ad-click-ids";
import type { VisitAttributes } from "../visits/attributes";
import type { SourceParamValues } from "./source-params";

/** Offer and lander URL tokens (docs/tracking.md). Anything else in braces stays as written. */
export const TOKEN_NAMES = [
  "clickid",
  "campaign.id",
  "campaign.name",
  "offer.id",
  "offer.name",
  "lander.id",
  "lander.name",
  "trafficsource.id",
  "trafficsource.name",
  "externalid",
  ...Array.from({ length: VAR_SLOTS }, (_, i) => `var${i + 1}` as const),
  "country.code",
  "country.name",
  "region",
  "city",
  "isp",
  "ip",
  "device",
  "brand",
  "model",
  "os",
  "osversion",
  "browser",
  "browserversion",
  "language",
  "useragent",
  "referrerdomain",
  ...AD_CLICK_ID_KEYS,
] as const;

export type TokenName = (typeof TOKEN_NAMES)[number];
const KNOWN = new Set<string>(TOKEN_NAMES);

/** The tokens a lander click can fill only from its visit's stored parameters (or their cookie). */
const VISIT_PARAM_TOKENS: ReadonlySet<string> = new Set([
  "externalid",
  ...Array.from({ length: VAR_SLOTS }, (_, i) => `var${i + 1}`),
  ...AD_CLICK_ID_KEYS,
]);

/** Whether a template holds a token only the visit's stored parameters fill (GET /click reads D1 only then). */
export function usesVisitParams(template: string): boolean {
  return templateTokens(template).some((name) => VISIT_PARAM_TOKENS.has(name));
}

/** A token's value for one click; undefined or null: the token becomes empty. */
export type TokenValues = (name: TokenName) => string | null | undefined;

/** Known `{token}`s filled by the one rule of lib/url-template.ts; a token without a value becomes empty. */
export function fillTokens(template: string, values: TokenValues): string {
  return fillUrlTemplate(template, KNOWN, (name) => values(name as TokenName));
}

/** The visit attributes tokens read: VisitAttributes carries them all. */
export type TokenAttributes = Pick<
  VisitAttributes,
  | "deviceType"
  | "brand"
  | "model"
  | "os"
  | "osVersion"
  | "browser"
  | "browserVersion"
  | "language"
  | "country"
  | "region"
  | "city"
  | "isp"
  | "ip"
  | "userAgent"
  | "referrerDomain"
>;

type Named = { id: number; name: string };

export interface ClickTokenInput {
  clickId: string;
  campaign: Named;
  offer: Named | null;
  lander?: Named | null;
  source: Named | null;
  params: Pick<SourceParamValues, "externalId" | "vars">;
  attributes: TokenAttributes;
  /** {fbclid}, {gclid}, …: empty where the visit carried none. */
  adClickIds?: AdClickIds;
}

/**
 * Every token's value for one click, worked out only for the tokens a URL holds (most hold two or
 * three of the forty): no object of every value built on each click.
 */
export function clickTokens({
  clickId,
  campaign,
  offer,
  lander,
  source,
  params,
  attributes: a,
  adClickIds,
}: ClickTokenInput): TokenValues {
  return (name) => {
    switch (name) {
      case "clickid":
        return clickId;
      case "campaign.id":
        return String(campaign.id);
      case "campaign.name":
        return campaign.name;
      case "offer.id":
        return offer && String(offer.id);
      case "offer.name":
        return offer?.name;
      case "lander.id":
        return lander && String(lander.id);
      case "lander.name":
        return lander?.name;
      case "trafficsource.id":
        return source && String(source.id);
      case "trafficsource.name":
        return source?.name;
      case "externalid":
        return params.externalId;
      case "country.code":
        return a.country;
      case "country.name":
        return countryName(a.country);
      case "region":
        return a.region;
      case "city":
        return a.city;
      case "isp":
        return a.isp;
      case "ip":
        return a.ip;
      case "device":
        return a.deviceType;
      case "brand":
        return a.brand;
      case "model":
        return a.model;
      case "os":
        return a.os;
      case "osversion":
        return a.osVersion;
      case "browser":
        return a.browser;
      case "browserversion":
        return a.browserVersion;
      case "language":
        return a.language;
      case "useragent":
        return a.userAgent;
      case "referrerdomain":
        return a.referrerDomain;
    }
    const slot = VAR_TOKENS.get(name);
    return slot === undefined ? adClickIds?.[name as AdClickIdKey] : params.vars[slot];
  };
}

const VAR_TOKENS = new Map<string, number>(Array.from({ length: VAR_SLOTS }, (_, i) => [`var${i + 1}`, i]));

let regionNames: Intl.DisplayNames | undefined;
/** Names already looked up: Intl's lookup is a visible share of a redirect's CPU; codes are few. */
const names = new Map<string, string | null>();

/** English name of an ISO 3166-1 alpha-2 code ("DE" → "Germany"); null when there is none. */
export function countryName(code: string | null): string | null {
  if (!code) return null;
  let name = names.get(code);
  if (name === undefined) {
    name = lookUpCountry(code);
    if (names.size < 1000) names.set(code, name);
  }
  return name;
}

function lookUpCountry(code: string): string | null {
  regionNames ??= new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
  try {
    return regionNames.of(code) ?? null;
  } catch {
    return null; // not a region code at all, e.g. Cloudflare's "T1" (Tor)
  }
}
