import ipaddr from "ipaddr.js";

/**
 * Where the tracker may send a server-side request (traffic-source postbacks): not to itself, the
 * machine it runs on, or a private network. An IP literal must be ordinary public unicast
 * (ipaddr.js's range "unicast": loopback, private, link-local such as 169.254.169.254, carrier
 * NAT, unique-local, multicast and reserved ranges are all other ranges); names that only mean
 * something inside a network (localhost, *.local, *.internal, …) are refused too. A public name
 * that resolves to a private address is not caught here: the Workers runtime itself has no route
 * into private networks.
 */
const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)\.?$/i;

let allowed: ReadonlySet<string> = new Set();

/** Hosts let through anyway (POSTBACK_PRIVATE_HOSTS: a local receiver in tests and development). */
export function allowPrivateHosts(hosts: Iterable<string>): void {
  allowed = new Set([...hosts].map((h) => h.toLowerCase()));
}

/** Why a URL's host may not be called, or null. */
export function privateHostProblem(url: string): string | null {
  const parsed = URL.parse(url.replace(/\{[^{}]*\}/g, "x"));
  if (!parsed) return null; // the URL rule reports it
  const host = parsed.hostname.toLowerCase();
  if (allowed.has(host)) return null;
  const literal = host.startsWith("[") ? host.slice(1, -1) : host;
  if (ipaddr.isValid(literal)) {
    const range = ipaddr.process(literal).range();
    return range === "unicast" ? null : `must not point at a ${range} address (${host}); use the network's public host`;
  }
  if (INTERNAL_NAMES.test(host) || !host.includes(".")) return `must name a public host, not ${host}`;
  return null;
}
