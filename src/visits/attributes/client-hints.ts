import type { AgentAttributes } from "./types";
import { deviceFromModel, deviceType, major, majorMinor, normalizeBrowser, normalizeOs } from "./user-agent";

/**
 * User-Agent Client Hints (Chromium browsers). Sec-CH-UA, -Mobile and -Platform come with every
 * HTTPS request; -Platform-Version, -Model and -Full-Version-List only once the site has asked
 * for them with Accept-CH. They are more exact than the frozen, reduced UA string, so they win.
 */
export interface ClientHints {
  mobile: boolean | null;
  platform: string | null;
  platformVersion: string | null;
  model: string | null;
  brand: { name: string; version: string | null } | null;
}

const HEADERS = [
  "sec-ch-ua-mobile",
  "sec-ch-ua-platform",
  "sec-ch-ua-platform-version",
  "sec-ch-ua-model",
  "sec-ch-ua-full-version-list",
  "sec-ch-ua",
] as const;
const MAX_HEADER_LENGTH = 256;

// Brands as Chromium sends them → the names ua-parser-js gives the same browsers.
const BRAND_NAMES: Record<string, string> = {
  "Google Chrome": "Chrome",
  "Microsoft Edge": "Edge",
  HeadlessChrome: "Chrome Headless",
  "Android WebView": "Chrome WebView",
  YaBrowser: "Yandex",
};
// Browsers the UA string cannot tell apart (Brave, Vivaldi and others pass for Chrome there).
const GENERIC_BROWSERS = new Set(["Chrome", "Chromium", "Chrome WebView"]);
// GREASE brands are "Not" + a character + "A" + a character + "Brand", in ever-changing forms.
const GREASE = /not.a.brand/i;

/** The raw hint headers, clipped (they key the parse cache), or null when none is sent. */
export function clientHintHeaders(headers: Headers): string[] | null {
  const raw = HEADERS.map((h) => headers.get(h)?.slice(0, MAX_HEADER_LENGTH) ?? "");
  return raw.every((v) => v === "") ? null : raw;
}

export function parseClientHints(raw: string[]): ClientHints {
  const [mobile, platform, platformVersion, model, fullList, list] = raw;
  return {
    mobile: mobile === "?1" ? true : mobile === "?0" ? false : null,
    platform: sfString(platform),
    platformVersion: sfString(platformVersion),
    model: sfString(model),
    brand: pickBrand(fullList || list),
  };
}

/** The UA's reading, completed and corrected by what the hints say. */
export function applyClientHints(agent: AgentAttributes, hints: ClientHints): AgentAttributes {
  const result = { ...agent };
  const platform = hints.platform === "Unknown" ? null : normalizeOs(hints.platform);
  if (platform !== null && platform !== result.os) {
    result.os = platform;
    result.osVersion = null; // the UA's version belongs to the OS it named
  }
  if (hints.platformVersion !== null) result.osVersion = platformVersion(result.os, hints.platformVersion);

  if (hints.model !== null) {
    result.model = hints.model;
    if (result.os === "Android" && (result.brand === null || agent.model === null)) {
      const fromModel = deviceFromModel(hints.model, hints.mobile ?? result.deviceType === "mobile");
      result.brand ??= fromModel.brand;
      if (fromModel.deviceType !== null && agent.model === null) result.deviceType = fromModel.deviceType;
    }
  }
  if (hints.mobile === true && (result.deviceType === "desktop" || result.deviceType === "other")) {
    result.deviceType = "mobile";
  }
  if (result.deviceType === "mobile") result.deviceType = deviceType("mobile", result.os, result.model);

  if (hints.brand !== null && (result.browser === null || GENERIC_BROWSERS.has(result.browser))) {
    result.browser = hints.brand.name;
    result.browserVersion = major(hints.brand.version);
  }
  return result;
}

/** Windows reports 1–10 for Windows 10 and 13+ for Windows 11 (0.x: 7, 8, 8.1). */
function platformVersion(os: string | null, version: string): string | null {
  if (os !== "Windows") return majorMinor(version);
  const [majorPart, minorPart] = version.split(".").map(Number);
  if (!Number.isFinite(majorPart)) return null;
  if (majorPart >= 13) return "11";
  if (majorPart >= 1) return "10";
  return ({ 1: "7", 2: "8", 3: "8.1" } as Record<number, string>)[minorPart] ?? null;
}

/** The most specific real brand of a Sec-CH-UA list: `"Chromium";v="126", "Google Chrome";v="126"`. */
function pickBrand(list: string): ClientHints["brand"] {
  const brands: { name: string; version: string | null }[] = [];
  for (const m of list.matchAll(/"((?:[^"\\]|\\.)*)"\s*(?:;\s*v\s*=\s*"([^"]*)")?/g)) {
    const brandName = m[1].replace(/\\(.)/g, "$1").trim();
    if (brandName !== "" && !GREASE.test(brandName)) brands.push({ name: brandName, version: m[2] ?? null });
  }
  const best = brands.find((b) => b.name !== "Chromium") ?? brands[0];
  return best
    ? { name: normalizeBrowser(BRAND_NAMES[best.name] ?? best.name) ?? best.name, version: best.version }
    : null;
}

/** A structured-header string (`"Android"`) unquoted; null when empty or not a string. */
function sfString(value: string): string | null {
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(value.trim());
  const text = m?.[1].replace(/\\(.)/g, "$1").trim();
  return text ? text.slice(0, 64) : null;
}
