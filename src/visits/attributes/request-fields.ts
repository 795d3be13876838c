// The attributes that come straight from request headers and Cloudflare's `request.cf`.

const MAX_TEXT_LENGTH = 100;

/** Primary subtag of the most preferred language: the highest q, the first listed on a tie. */
export function primaryLanguage(header: string | null): string | null {
  if (!header) return null;
  let best: string | null = null;
  let bestQ = 0;
  for (const entry of header.slice(0, 512).split(",")) {
    const [range, ...params] = entry.split(";");
    let q = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(param);
      if (m) q = Math.min(Number(m[1]), 1);
    }
    if (!(q > bestQ)) continue; // q=0 means "not this one"; NaN is no preference
    const primary = range.trim().split("-")[0].toLowerCase();
    if (!/^[a-z]{2,3}$/.test(primary)) continue; // "*" and junk
    best = primary;
    bestQ = q;
  }
  return best;
}

/** The Referer's host name, lowercase, without a leading "www."; null for anything unparsable. */
export function referrerDomain(header: string | null): string | null {
  if (!header) return null;
  let host: string;
  try {
    host = new URL(header.trim().slice(0, 2048)).hostname.toLowerCase();
  } catch {
    return null;
  }
  if (host.endsWith(".")) host = host.slice(0, -1);
  if (host.startsWith("www.")) host = host.slice(4);
  return host !== "" && host.length <= 253 ? host : null;
}

/** CF-Connecting-IP (Cloudflare sets it; locally it may be absent or forged, so shape-checked). */
export function clientIp(header: string | null): string | null {
  const ip = header?.trim();
  return ip && ip.length <= 45 && /^[\da-fA-F:.]+$/.test(ip) ? ip : null;
}

export interface CfFields {
  country: string | null;
  region: string | null;
  city: string | null;
  isp: string | null;
  asn: number | null;
}

/** Country, region, city, ISP and ASN from `request.cf` (absent in local tests and dev). */
export function cfFields(cf: unknown): CfFields {
  const data = (typeof cf === "object" && cf !== null ? cf : {}) as Record<string, unknown>;
  const country = text(data.country)?.toUpperCase() ?? null;
  const asn = data.asn;
  return {
    // "XX" is Cloudflare's "unknown"; "T1" (Tor) is kept.
    country: country !== null && /^[A-Z][A-Z\d]$/.test(country) && country !== "XX" ? country : null,
    region: text(data.region),
    city: text(data.city),
    isp: text(data.asOrganization),
    asn: typeof asn === "number" && Number.isInteger(asn) && asn > 0 ? asn : null,
  };
}

function text(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed.slice(0, MAX_TEXT_LENGTH);
}
