import { MAX_USER_AGENT_LENGTH, readAgent } from "./agent";
import { isDatacenterAsn } from "./bot";
import { cfFields, clientIp, primaryLanguage, referrerDomain } from "./request-fields";
import type { VisitAttributes } from "./types";

export { AGENT_CACHE_ENTRIES, MAX_USER_AGENT_LENGTH } from "./agent";
export { DATACENTER_ASNS } from "./datacenters";
export { DEVICE_TYPES, type DeviceType, type VisitAttributes } from "./types";

/**
 * Everything docs/tracking.md records about a visit, from the click request alone: no I/O, and the user
 * agent is parsed once per distinct UA (and Client Hints) per isolate, so the redirect stays cheap.
 */
export function visitAttributes(request: Request): VisitAttributes {
  const headers = request.headers;
  const userAgent = headers.get("user-agent")?.trim().slice(0, MAX_USER_AGENT_LENGTH) || null;
  const agent = readAgent(userAgent, headers);
  const cf = cfFields(request.cf);
  // Spelled out rather than spread (and the agent's bot flag rather than a rest copy): measured
  // cheaper on every visit (docs/performance.md); the type names any field left out.
  return {
    deviceType: agent.deviceType,
    brand: agent.brand,
    model: agent.model,
    os: agent.os,
    osVersion: agent.osVersion,
    browser: agent.browser,
    browserVersion: agent.browserVersion,
    language: primaryLanguage(headers.get("accept-language")),
    country: cf.country,
    region: cf.region,
    city: cf.city,
    isp: cf.isp,
    asn: cf.asn,
    ip: clientIp(headers.get("cf-connecting-ip")),
    referrerDomain: referrerDomain(headers.get("referer")),
    bot: agent.botUserAgent || isDatacenterAsn(cf.asn),
    userAgent,
  };
}
