import ipaddr from "ipaddr.js";
import { z } from "zod";

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Normalizes an allow-list entry: "203.0.113.0/24", "2001:db8::/32", or a bare address (taken
 * as /32 or /128). IPv4 must be four decimal parts: ipaddr.js would also read "127.1" or hex.
 * Returns null for anything else.
 */
export function normalizeCidr(input: string): string | null {
  const text = input.trim();
  const [addr, bits, extra] = text.split("/");
  if (extra !== undefined || !addr) return null;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(addr)) {
    const prefix = bits === undefined ? 32 : Number(bits);
    return prefix <= 32 ? `${ipaddr.IPv4.parse(addr).toString()}/${prefix}` : null;
  }
  if (ipaddr.IPv6.isValid(addr) && !addr.includes("%")) {
    const prefix = bits === undefined ? 128 : Number(bits);
    return prefix <= 128 ? `${ipaddr.IPv6.parse(addr).toString()}/${prefix}` : null;
  }
  return null;
}

export const MAX_CIDRS = 100;

/** One allow-list entry, normalized (see normalizeCidr). */
export const cidrSchema = z.string().transform((value, ctx) => {
  const normalized = normalizeCidr(value);
  if (normalized === null) {
    ctx.addIssue({ code: "custom", message: `"${value.slice(0, 64)}" is not an IPv4 or IPv6 address or CIDR range` });
    return z.NEVER;
  }
  return normalized;
});

/** An allow-list: at most MAX_CIDRS entries as given, normalized, repeats dropped. */
export const cidrListSchema = z
  .array(cidrSchema)
  .max(MAX_CIDRS, `at most ${MAX_CIDRS} ranges`)
  .transform((list) => [...new Set(list)]);

/** True when `ip` (as sent in CF-Connecting-IP) falls in one of the normalized ranges. */
export function ipAllowed(ip: string | null | undefined, cidrs: string[]): boolean {
  return cidrMatcher(cidrs)(ip);
}

/** ipAllowed with the ranges parsed once, for a list checked on many requests (flow rules). */
export function cidrMatcher(cidrs: string[]): (ip: string | null | undefined) => boolean {
  const ranges = cidrs.flatMap((cidr): Range[] => {
    try {
      return [ipaddr.parseCIDR(cidr)];
    } catch {
      return [];
    }
  });
  return (ip) => {
    if (!ip || !ipaddr.isValid(ip)) return false;
    // process() turns an IPv4-mapped IPv6 address (::ffff:203.0.113.7) into plain IPv4.
    const address = ipaddr.process(ip);
    return ranges.some((range) => address.kind() === range[0].kind() && address.match(range));
  };
}
