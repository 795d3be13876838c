/** Device types a visit can have (docs/tracking.md), in the order the admin pages list them. */
export const DEVICE_TYPES = ["desktop", "mobile", "tablet", "tv", "console", "wearable", "other"] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** What the user agent (and Client Hints) say about the visitor's device and software. */
export interface AgentAttributes {
  deviceType: DeviceType;
  brand: string | null;
  model: string | null;
  os: string | null;
  /** Major, or major.minor when the minor is not 0: "17.5", "14", "10.15", "11". */
  osVersion: string | null;
  browser: string | null;
  /** Major only: "126", "17". */
  browserVersion: string | null;
}

/** Every attribute docs/tracking.md records for a visit, read from one click request. */
export interface VisitAttributes extends AgentAttributes {
  /** Primary subtag of the most preferred Accept-Language entry, lowercase: "en", "pt". */
  language: string | null;
  /** ISO 3166-1 alpha-2, uppercase (Cloudflare's "T1" for Tor kept; "XX" = unknown = null). */
  country: string | null;
  region: string | null;
  city: string | null;
  /** Cloudflare's asOrganization. */
  isp: string | null;
  asn: number | null;
  /** CF-Connecting-IP. */
  ip: string | null;
  /** Referer's host, lowercase, without a leading "www.". */
  referrerDomain: string | null;
  /** A bot user agent, no user agent, or a data-centre network. */
  bot: boolean;
  /** The User-Agent header clipped to MAX_USER_AGENT_LENGTH; null when absent or empty. */
  userAgent: string | null;
}
