import { describe, expect, it } from "vitest";
import type { SourceForClick } from "../src/click/source-params";
import { readSourceParams } from "../src/click/source-params";
import { clickTokens, countryName, fillTokens, TOKEN_NAMES, type TokenAttributes } from "../src/click/tokens";

const source: SourceForClick = {
  id: 4,
  name: "Net",
  externalId: { param: "clickid", placeholder: `\${SUBID}` },
  cost: { param: "cost", placeholder: `\${COST}` },
  variables: [
    { slot: 1, param: "zone", placeholder: "{zoneid}", alias: "Zone" },
    { slot: 4, param: "site", placeholder: "[SITE]", alias: "Site" },
  ],
};
const none = Array.from({ length: 10 }, () => null);

describe("readSourceParams", () => {
  it("reads the source's external ID, cost and variables into their slots", () => {
    expect(readSourceParams(source, { clickid: "abc", cost: "0.0042", zone: "z9", site: "s.example" })).toEqual({
      externalId: "abc",
      costMicros: 4_200,
      vars: ["z9", null, null, "s.example", null, null, null, null, null, null],
    });
  });

  it("slots the source does not name still read varN; a named slot reads only its parameter", () => {
    const read = readSourceParams(source, { zone: "z", var1: "ignored", var2: "two", var10: "ten", externalid: "x" });
    expect(read.vars).toEqual(["z", "two", null, null, null, null, null, null, null, "ten"]);
    // The source names its external ID parameter, so `externalid` is not read.
    expect(read.externalId).toBeNull();
  });

  it("without a source reads var1…var10 and externalid as before, and no cost", () => {
    const query = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`var${i + 1}`, `v${i + 1}`]));
    expect(readSourceParams(null, { ...query, externalid: "e", cost: "1" })).toEqual({
      externalId: "e",
      costMicros: null,
      vars: Array.from({ length: 10 }, (_, i) => `v${i + 1}`),
    });
    // A source that names no external ID parameter reads `externalid` too.
    expect(readSourceParams({ ...source, externalId: null }, { externalid: "e" }).externalId).toBe("e");
  });

  it.each(["", "abc", "-0.5", "1e3", "0.0000001", "NaN", "Infinity", "1,5", `\${COST}`, "99999999999"])(
    "treats the cost %j as absent",
    (cost) => {
      expect(readSourceParams(source, { cost }).costMicros).toBeNull();
    },
  );

  it.each([
    ["0", 0],
    ["0.5", 500_000],
    ["12", 12_000_000],
    ["0.000001", 1],
  ])("reads the cost %j exactly", (cost, micros) => {
    expect(readSourceParams(source, { cost }).costMicros).toBe(micros);
  });

  it("an empty value or the network's placeholder left unreplaced counts as absent", () => {
    expect(readSourceParams(source, { clickid: `\${SUBID}`, zone: "{zoneid}", site: "" })).toEqual({
      externalId: null,
      costMicros: null,
      vars: none,
    });
  });
});

const attributes: TokenAttributes = {
  deviceType: "mobile",
  brand: "Apple",
  model: "iPhone",
  os: "iOS",
  osVersion: "17.5",
  browser: "Mobile Safari",
  browserVersion: "17",
  language: "de",
  country: "DE",
  region: "Baden-Württemberg",
  city: "Stuttgart",
  isp: "Deutsche Telekom AG",
  ip: "2003:e2::1",
  userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)",
  referrerDomain: "news.example",
};

describe("tokens", () => {
  const values = clickTokens({
    clickId: "CID",
    campaign: { id: 7, name: "Push & Pull" },
    offer: { id: 3, name: "Offer/A" },
    lander: { id: 2, name: "Quiz" },
    source: { id: 4, name: "Net" },
    params: readSourceParams(source, { clickid: "ext 1", zone: "z&9" }),
    attributes,
    adClickIds: { gclid: "G&1", fbc: "fb.1.2.x" },
  });

  it("fills every docs/tracking.md token, URL-encoded, in one pass", () => {
    const template = TOKEN_NAMES.map((t) => `${t}={${t}}`).join("&");
    const out = new URLSearchParams(fillTokens(template, values).split("?").pop());
    expect(Object.fromEntries(out)).toEqual({
      clickid: "CID",
      "campaign.id": "7",
      "campaign.name": "Push & Pull",
      "offer.id": "3",
      "offer.name": "Offer/A",
      "lander.id": "2",
      "lander.name": "Quiz",
      "trafficsource.id": "4",
      "trafficsource.name": "Net",
      externalid: "ext 1",
      var1: "z&9",
      ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`var${i + 2}`, ""])),
      "country.code": "DE",
      "country.name": "Germany",
      region: "Baden-Württemberg",
      city: "Stuttgart",
      isp: "Deutsche Telekom AG",
      ip: "2003:e2::1",
      device: "mobile",
      brand: "Apple",
      model: "iPhone",
      os: "iOS",
      osversion: "17.5",
      browser: "Mobile Safari",
      browserversion: "17",
      language: "de",
      useragent: attributes.userAgent,
      referrerdomain: "news.example",
      fbclid: "",
      gclid: "G&1",
      gbraid: "",
      wbraid: "",
      ttclid: "",
      msclkid: "",
      fbp: "",
      fbc: "fb.1.2.x",
    });
    expect(fillTokens("{campaign.name}|{city}", values)).toBe("Push%20%26%20Pull|Stuttgart");
  });

  it("keeps unknown tokens and never expands a value", () => {
    const sneaky = clickTokens({
      clickId: "CID",
      campaign: { id: 1, name: "{clickid}" },
      offer: null,
      source: null,
      params: { externalId: null, vars: none },
      attributes: { ...attributes, city: "{ip}" },
    });
    expect(fillTokens("https://o.example/?a={campaign.name}&b={city}&c={sub1}&d={Clickid}&e={lander.id}", sneaky)).toBe(
      "https://o.example/?a=%7Bclickid%7D&b=%7Bip%7D&c={sub1}&d={Clickid}&e=",
    );
  });

  it("names countries in English; unknown or non-country codes give nothing", () => {
    expect(countryName("US")).toBe("United States");
    expect(countryName("CI")).toBe("Côte d’Ivoire");
    expect(countryName("T1")).toBeNull();
    expect(countryName(null)).toBeNull();
    expect(countryName("")).toBeNull();
  });
});
