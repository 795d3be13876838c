import { isBotUserAgent } from "./bot";
import { applyClientHints, clientHintHeaders, parseClientHints } from "./client-hints";
import { LruCache } from "./lru";
import type { AgentAttributes } from "./types";
import { fromUserAgent } from "./user-agent";

/**
 * Parsed user agents kept per isolate. A campaign's traffic repeats a few hundred UA strings
 * (one per browser build and phone model), so most clicks skip the parser's regular expressions.
 * At most about 1 KB a key, so the cache stays near 2 MB.
 */
export const AGENT_CACHE_ENTRIES = 2000;
/** Longer User-Agent strings are cut here before they are parsed or stored. */
export const MAX_USER_AGENT_LENGTH = 512;

export interface AgentReading extends AgentAttributes {
  /** isbot's verdict on the UA string (or no UA): the ASN check is per request, not cached. */
  botUserAgent: boolean;
}

const cache = new LruCache<string, AgentReading>(AGENT_CACHE_ENTRIES);

const NOTHING: AgentAttributes = {
  deviceType: "other",
  brand: null,
  model: null,
  os: null,
  osVersion: null,
  browser: null,
  browserVersion: null,
};

/** The device and software of a request with this (clipped) User-Agent, cached. */
export function readAgent(userAgent: string | null, headers: Headers): AgentReading {
  const hints = clientHintHeaders(headers);
  const key = hints === null ? (userAgent ?? "") : `${userAgent ?? ""}\n${hints.join("\n")}`;
  let reading = cache.get(key);
  if (reading === undefined) {
    const fromUa = userAgent === null ? NOTHING : fromUserAgent(userAgent);
    const agent = hints === null ? fromUa : applyClientHints(fromUa, parseClientHints(hints));
    reading = Object.freeze({ ...agent, botUserAgent: isBotUserAgent(userAgent) });
    cache.set(key, reading);
  }
  return reading;
}

/** Entries held now (for the tests and the bench). */
export function agentCacheSize(): number {
  return cache.size;
}
