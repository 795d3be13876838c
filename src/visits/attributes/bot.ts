// isbot 5: Unlicense (public domain), no dependencies, about 8 KB of ESM; one regular expression
// built from its maintained list of crawler, monitor, headless-browser and HTTP-library names.
import { isbot } from "isbot";
import { DATACENTER_ASNS } from "./datacenters";

/** No user agent at all, or one that names a bot, crawler, headless browser or HTTP library. */
export function isBotUserAgent(userAgent: string | null): boolean {
  return userAgent === null || isbot(userAgent);
}

/** The visit comes from a cloud or hosting network, not a home or mobile one. */
export function isDatacenterAsn(asn: number | null): boolean {
  return asn !== null && DATACENTER_ASNS.has(asn);
}
