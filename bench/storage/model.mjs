// A traffic model for the storage bench: what a busy account's clicks look like, so rows written
// per visit (which depend on how many distinct rollup keys a batch touches) are measured on
// realistic variety. Every pool is drawn with a Zipf law (a few values take most clicks).

/** Deterministic PRNG (LCG), so runs are comparable. */
export function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Draws indexes 0..n-1 with P(i) ∝ 1/(i+1)^s. */
export function zipf(n, s = 1.1) {
  const cum = [];
  let total = 0;
  for (let i = 0; i < n; i++) cum.push((total += 1 / (i + 1) ** s));
  const probs = cum.map((c, i) => (c - (cum[i - 1] ?? 0)) / total);
  const draw = (r) => {
    const x = r * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return { n, draw, probs };
}

/** The account: cardinalities of every attribute (numbers a large tracker account sees). */
export const MODEL = {
  campaigns: 20,
  offersPerCampaign: 2,
  sources: 5,
  zonesPerCampaign: 300,
  sitesPerCampaign: 50,
  countries: 60,
  regionsPerCountry: 8,
  citiesPerCountry: 40,
  languages: 20,
  brands: 25,
  models: 400,
  oses: 5,
  osVersions: 25,
  browsers: 6,
  browserVersions: 30,
  isps: 300,
  referrers: 150,
  userAgents: 3000,
};

const pools = {};
for (const [k, n] of Object.entries(MODEL)) pools[k] = zipf(n);
const DEVICES = ["mobile", "mobile", "mobile", "desktop", "desktop", "tablet"];

let seq = 0;

/**
 * One visit as a queue-message row (src/visits/wire.ts): "v", clickId, createdAt, campaignId,
 * trafficSourceId, offerId, landerId, pathId, ruleId, externalId, costMicros, ip, asn, bot,
 * userAgent, then country, region, city, language, device, brand, model, os, osVersion, browser,
 * browserVersion, isp, referrerDomain, var1…var10.
 */
export function visitRow(rnd, createdAt, campaigns = null) {
  const c = pools.campaigns.draw(rnd());
  const campaignId = campaigns ? campaigns[c % campaigns.length] : c + 1;
  const country = pools.countries.draw(rnd());
  const os = pools.oses.draw(rnd());
  const pick = (pool) => pools[pool].draw(rnd());
  return [
    "v",
    `bench${String(++seq).padStart(12, "0")}`.padEnd(32, "b"),
    createdAt,
    campaignId,
    (c % MODEL.sources) + 1,
    campaignId * 10 + Math.floor(rnd() * MODEL.offersPerCampaign),
    null,
    null,
    null,
    `ext${seq}`,
    10_000,
    `198.51.${seq % 250}.${(seq >> 8) % 250}`,
    13335 + pick("isps"),
    0,
    `Mozilla/5.0 (Linux; Android 14; Model ${pick("userAgents")}) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36`,
    `C${country}`,
    `C${country}-R${pick("regionsPerCountry")}`,
    `C${country}-City${pick("citiesPerCountry")}`,
    `l${pick("languages")}`,
    DEVICES[Math.floor(rnd() * DEVICES.length)],
    `Brand${pick("brands")}`,
    `Model${pick("models")}`,
    `OS${os}`,
    `${os}.${pick("osVersions")}`,
    `Browser${pick("browsers")}`,
    String(100 + pick("browserVersions")),
    `ISP ${pick("isps")}`,
    rnd() < 0.5 ? null : `site${pick("referrers")}.example`,
    `zone${c}-${pick("zonesPerCampaign")}`,
    `site${c}-${pick("sitesPerCampaign")}`,
    ...Array(8).fill(null),
  ];
}

/**
 * Distinct attribute rollup keys per visit in windows of `sizes` visits (no D1: the count the
 * aggregation's rows written follow), for the rows-per-visit discussion in docs/scale.md.
 */
export function keysPerVisit(sizes) {
  const rnd = prng(1);
  return sizes.map((window) => {
    const keys = new Set();
    for (let i = 0; i < window; i++) {
      const r = visitRow(rnd, 0);
      const entity = `${r[3]},${r[4]},${r[5]}`;
      for (let d = 15; d < r.length; d++) if (r[d] !== null) keys.add(`${d},${entity},${r[d]}`);
    }
    return { windowVisits: window, attributeKeysPerVisit: Number((keys.size / window).toFixed(3)) };
  });
}
