// ua-parser-js 1.x: MIT, no dependencies, one 50 KB source file (the 2.x line is AGPL-3.0, so
// package.json keeps ^1). Pure regular expressions, no Node APIs: it runs as is in workerd.
import UAParser from "ua-parser-js";
import type { AgentAttributes, DeviceType } from "./types";

const DEVICE_TYPE: Record<string, DeviceType> = {
  mobile: "mobile",
  tablet: "tablet",
  smarttv: "tv",
  console: "console",
  wearable: "wearable",
};

/** OSes whose devices are computers: a UA naming one and no device type is a desktop. */
const DESKTOP_OSES = new Set([
  "Windows",
  "macOS",
  "Linux",
  "Chrome OS",
  "Ubuntu",
  "Debian",
  "Fedora",
  "Mint",
  "Arch",
  "CentOS",
  "RedHat",
  "SUSE",
  "Gentoo",
  "Slackware",
  "FreeBSD",
  "OpenBSD",
  "NetBSD",
  "Solaris",
  "Unix",
]);

/** OSes of phones: a UA naming one and no device type (Opera Mini, KaiOS) is a phone. */
const MOBILE_OSES = new Set([
  "Android",
  "iOS",
  "KAIOS",
  "HarmonyOS",
  "Windows Phone",
  "BlackBerry",
  "Symbian",
  "Series40",
]);

// The parser's names where Client Hints name the same thing differently: one spelling per report.
const OS_NAMES: Record<string, string> = { "Mac OS": "macOS", "Chromium OS": "Chrome OS" };
// The device type says "mobile" already; a report should not split Safari in two.
const BROWSER_NAMES: Record<string, string> = {
  "Mobile Safari": "Safari",
  "Mobile Chrome": "Chrome",
  "Mobile Firefox": "Firefox",
};

/** Chrome's reduced Android UA puts "K" where the model was; it says nothing. */
const PLACEHOLDER_MODELS = new Set(["K"]);
const MAX_NAME_LENGTH = 64;

/** The visitor's device and software as the User-Agent string alone says. */
export function fromUserAgent(userAgent: string): AgentAttributes {
  // The three readings we use, not getResult(), which also runs the engine and CPU patterns.
  const parser = new UAParser(userAgent);
  const [device, os, browser] = [parser.getDevice(), parser.getOS(), parser.getBrowser()];
  const osName = normalizeOs(os.name);
  const model = name(device.model);
  return {
    deviceType: deviceType(device.type, osName, model),
    brand: name(device.vendor),
    model: model !== null && PLACEHOLDER_MODELS.has(model) ? null : model,
    os: osName,
    osVersion: majorMinor(os.version),
    browser: normalizeBrowser(browser.name),
    browserVersion: major(browser.version),
  };
}

/** Brand and device type of an Android model name (from Sec-CH-UA-Model), via the same parser. */
export function deviceFromModel(
  model: string,
  mobile: boolean,
): { brand: string | null; deviceType: DeviceType | null } {
  const ua = `Mozilla/5.0 (Linux; Android 10; ${model}) AppleWebKit/537.36 (KHTML, like Gecko) ${mobile ? "Mobile " : ""}Safari/537.36`;
  const device = new UAParser(ua).getDevice();
  return { brand: name(device.vendor), deviceType: device.type ? deviceType(device.type, "Android", model) : null };
}

export function deviceType(parsed: string | undefined, os: string | null, model: string | null): DeviceType {
  const type = parsed ? DEVICE_TYPE[parsed] : undefined;
  // Wear OS watches (Pixel Watch, …) often pass for phones in the parser.
  if (type === "mobile" && model !== null && /\bwatch\b/i.test(model)) return "wearable";
  if (type) return type;
  if (parsed) return "other"; // embedded: cars, smart speakers
  if (os !== null && MOBILE_OSES.has(os)) return "mobile";
  return os !== null && DESKTOP_OSES.has(os) ? "desktop" : "other";
}

export function normalizeOs(raw: string | undefined | null): string | null {
  const value = name(raw);
  return value === null ? null : (OS_NAMES[value] ?? value);
}

export function normalizeBrowser(raw: string | undefined | null): string | null {
  const value = name(raw);
  return value === null ? null : (BROWSER_NAMES[value] ?? value);
}

/** "126.0.6478.122" → "126". Non-numeric versions are kept as they are ("XP"), clipped. */
export function major(version: string | undefined | null): string | null {
  const value = name(version);
  if (value === null) return null;
  return /^\d+/.exec(value)?.[0] ?? value.slice(0, 16);
}

/** "17.5.1" → "17.5", "10.15.7" → "10.15", "14.0.0" → "14", "6.0" → "6". */
export function majorMinor(version: string | undefined | null): string | null {
  const value = name(version);
  if (value === null) return null;
  const m = /^(\d+)(?:[._](\d+))?/.exec(value);
  if (!m) return value.slice(0, 16);
  return m[2] === undefined || Number(m[2]) === 0 ? m[1] : `${m[1]}.${m[2]}`;
}

function name(value: string | undefined | null): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, MAX_NAME_LENGTH) : null;
}
