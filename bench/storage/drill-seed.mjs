// Raw visits as the queue consumer stores them, for the drill-down phase: every column a real
// visit fills (32-character click IDs, IP text, external IDs, user agent and every attribute as
// dictionary ids, four vars), drawn from the traffic model, plus a share of conversion events.
import { randomBytes } from "node:crypto";
import { MODEL, prng, zipf } from "./model.mjs";

const DAY = 86_400_000;
const DEVICES = ["mobile", "desktop", "tablet"];

/** Dictionary values per attribute (one pool each, ids handed out in order). */
function pools() {
  const n = (k, f) => Array.from({ length: k }, (_, i) => f(i));
  const countries = MODEL.countries;
  return {
    country: n(countries, (i) => `C${i}`),
    region: n(countries * MODEL.regionsPerCountry, (i) => `C${i >> 3}-R${i & 7}`),
    city: n(countries * MODEL.citiesPerCountry, (i) => `C${Math.floor(i / 40)}-City${i % 40}`),
    language: n(MODEL.languages, (i) => `l${i}`),
    device: DEVICES,
    brand: n(MODEL.brands, (i) => `Brand${i}`),
    model: n(MODEL.models, (i) => `Model${i}`),
    os: n(MODEL.oses, (i) => `OS${i}`),
    os_version: n(MODEL.oses * MODEL.osVersions, (i) => `${i % 5}.${Math.floor(i / 5)}`),
    browser: n(MODEL.browsers, (i) => `Browser${i}`),
    browser_version: n(MODEL.browserVersions, (i) => String(100 + i)),
    isp: n(MODEL.isps, (i) => `ISP ${i}`),
    referrer_domain: n(MODEL.referrers, (i) => `site${i}.example`),
    user_agent: n(
      MODEL.userAgents,
      (i) => `Mozilla/5.0 (Linux; Android 14; Model ${i}) Chrome/126.0 Mobile Safari/537.36`,
    ),
    var1: n(MODEL.campaigns * MODEL.zonesPerCampaign, (i) => `zone${i}`),
    var2: n(MODEL.campaigns * MODEL.sitesPerCampaign, (i) => `site${i}`),
    var3: n(200, (i) => `creative${i}`),
    var4: n(12, (i) => `placement${i}`),
  };
}

const COLUMNS = `created_at, click_id, campaign_id, traffic_source_id, offer_id, cost_micros, external_id, ip, asn, bot,
  user_agent, device, brand, model, os, os_version, browser, browser_version, language, country, region, city, isp,
  referrer_domain, var1, var2, var3, var4`;

/**
 * Seeds `perDay` visits a day for `days` UTC days from `firstDay`, evenly spread, and a
 * conversion event for `conversionShare` of them. Returns the filter values to ask for (the top
 * country and device) and, per day, how many seeded visits (and conversions) match both: what
 * the report must count.
 */
export function seedRawVisits(db, { campaigns, offers }, { perDay, days, firstDay, conversionShare = 0.01 }) {
  const rnd = prng(11);
  const values = pools();
  const ids = {};
  const dict = db.prepare("INSERT INTO dict (id, value) VALUES (?, ?)");
  let next = 1;
  for (const [column, list] of Object.entries(values)) {
    ids[column] = list.map((v) => {
      dict.run(next, v);
      return next++;
    });
  }
  const draw = {};
  for (const [column, list] of Object.entries(values)) draw[column] = zipf(list.length);
  draw.device = { draw: (r) => (r < 0.5 ? 0 : r < 0.83 ? 1 : 2) };
  const campaign = zipf(campaigns.length);
  const region = zipf(MODEL.regionsPerCountry);
  const city = zipf(MODEL.citiesPerCountry);
  const zone = zipf(MODEL.zonesPerCampaign);
  const site = zipf(MODEL.sitesPerCampaign);
  const osVersion = zipf(MODEL.osVersions);
  const visit = db.prepare(
    `INSERT INTO raw_visits (${COLUMNS}) VALUES (${Array(COLUMNS.split(",").length).fill("?").join(", ")})`,
  );
  const event = db.prepare(`INSERT INTO conversion_events (id, conversion_id, click_id, visit_time, campaign_id,
    offer_id, status, payout_micros, previous_payout_micros, at, batch) VALUES (?, ?, ?, ?, ?, ?, 'approved', 2500000, 0, ?, 'seed')`);
  const random = randomBytes(1 << 24);
  let at = 0;
  const b64 = (bytes) => {
    if (at + bytes > random.length) at = 0;
    return random.toString("base64url", at, (at += bytes));
  };
  const matching = [];
  const converted = Array(days).fill(0);
  let events = 0;
  for (let d = 0; d < days; d++) {
    let match = 0;
    const dayStart = (firstDay + d) * DAY;
    for (let i = 0; i < perDay; i++) {
      const t = dayStart + Math.floor((i * DAY) / perDay);
      const c = campaign.draw(rnd());
      const k = draw.country.draw(rnd());
      const dev = draw.device.draw(rnd());
      const os = draw.os.draw(rnd());
      const ipv6 = rnd() < 0.2;
      // A v2 click ID: the visit second leads, then ids and nonce (src/lib/clickid.ts).
      const clickId = (Math.floor(t / 1000).toString(36) + b64(21)).slice(0, 32);
      if (k === 0 && dev === 0) match++;
      visit.run(
        t,
        clickId,
        campaigns[c],
        (c % MODEL.sources) + 1,
        offers[i % offers.length],
        10_000,
        rnd() < 0.7 ? b64(18) : null,
        ipv6
          ? `2a02:${b64(2)}:${Math.floor(rnd() * 65536).toString(16)}::${i.toString(16)}`
          : `198.51.${i & 255}.${(i >> 8) & 255}`,
        13335 + draw.isp.draw(rnd()),
        rnd() < 0.02 ? 1 : 0,
        ids.user_agent[draw.user_agent.draw(rnd())],
        ids.device[dev],
        ids.brand[draw.brand.draw(rnd())],
        ids.model[draw.model.draw(rnd())],
        ids.os[os],
        ids.os_version[os + 5 * osVersion.draw(rnd())],
        ids.browser[draw.browser.draw(rnd())],
        ids.browser_version[draw.browser_version.draw(rnd())],
        ids.language[draw.language.draw(rnd())],
        ids.country[k],
        ids.region[k * MODEL.regionsPerCountry + region.draw(rnd())],
        ids.city[k * MODEL.citiesPerCountry + city.draw(rnd())],
        ids.isp[draw.isp.draw(rnd())],
        rnd() < 0.5 ? null : ids.referrer_domain[draw.referrer_domain.draw(rnd())],
        ids.var1[c * MODEL.zonesPerCampaign + zone.draw(rnd())],
        ids.var2[c * MODEL.sitesPerCampaign + site.draw(rnd())],
        ids.var3[draw.var3.draw(rnd())],
        rnd() < 0.5 ? null : ids.var4[draw.var4.draw(rnd())],
      );
      if (rnd() < conversionShare) {
        if (k === 0 && dev === 0) converted[d]++;
        const second = Math.floor(t / 1000) * 1000;
        // Converted within the hour, inside the visit's day (the range the report reads).
        const convertedAt = Math.min(t + Math.floor(rnd() * 3_600_000), dayStart + DAY - 1);
        event.run(`ev${events}`, `cv${events}`, clickId, second, campaigns[c], offers[i % offers.length], convertedAt);
        events++;
      }
    }
    matching.push(match);
  }
  return {
    country: values.country[0],
    device: values.device[0],
    attributes: [
      { column: "country", value: ids.country[0] },
      { column: "device", value: ids.device[0] },
    ],
    matching,
    converted,
    events,
  };
}
