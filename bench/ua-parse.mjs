#!/usr/bin/env node
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
// `node bench/ua-parse.mjs`: what visitAttributes() costs per click, cold (a UA string this
// isolate has not seen) and cached (a repeated UA), against a baseline measured in the same run:
// the same call on requests without a User-Agent, which parses nothing. The module is bundled
// with esbuild (wrangler's, from node_modules) as wrangler bundles it for the worker. The parser's
// cost carries over to workerd (the same V8); header reads differ (Node's undici vs workerd's own
// Headers), so the baseline row is Node's. Absolute µs depend on the machine.
import { build } from "esbuild";
import { isbot } from "isbot";
import UAParser from "ua-parser-js";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "clicktrail-ua-bench-"));
const outfile = join(dir, "attributes.mjs");
await build({
  entryPoints: [join(root, "src/visits/attributes/index.ts")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  outfile,
  logLevel: "error",
});
const { visitAttributes, AGENT_CACHE_ENTRIES } = await import(pathToFileURL(outfile).href);
rmSync(dir, { recursive: true, force: true });

// 30 user agents of a typical mobile-heavy campaign.
const UAS = [
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/21E236 [FBAN/FBIOS;FBAV/460.0.0.42.105;FBBV/597215512;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]",
  "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.165 Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 13; 23049PCD8G) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.230 Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 12; SM-G991B Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 Instagram 330.0.0.40.92 Android (31/12; 420dpi; 1080x2177; samsung; SM-G991B; o1s; exynos2100; en_US; 597254373)",
  "Mozilla/5.0 (Linux; Android 10; ELE-L29; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.5.303 Mobile Safari/537.36",
  "Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0",
  "Opera/9.80 (Android; Opera Mini/36.2.2254/119.132; U; id) Presto/2.12.423 Version/12.16",
  "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
  "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 85.0.4183.93/6.0 TV Safari/537.36",
  "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.79 Safari/537.36 WebAppManager",
  "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edge/44.18363.8131",
  "Mozilla/5.0 (Linux; Android 11; SM-R890) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/1.0 Chrome/87.0.4280.141 Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.6478.126 Safari/537.36",
  "curl/8.5.0",
];

const ROUNDS = 200; // 30 × 200 = 6,000 distinct UAs a pass: more than the cache holds
const PASSES = 7;
// A distinct variant of `ua`: its last number changed, as a new browser build would change it.
const variant = (ua, n) => ua.replace(/(\d+)(\D*)$/, (_, last, rest) => `${Number(last) + n + 1}${rest}`);
const OTHER_HEADERS = {
  "accept-language": "en-US,en;q=0.9",
  referer: "https://www.example.com/p",
  "cf-connecting-ip": "203.0.113.9",
};
const request = (ua) =>
  new Request("https://t.example/c/1", {
    headers: ua === null ? { ...OTHER_HEADERS } : { ...OTHER_HEADERS, "user-agent": ua },
  });

/**
 * µs per call of fn, the median of PASSES passes. prepare(pass) builds each pass's inputs outside
 * the timing, and only one pass's inputs are alive at a time, so the garbage collection of a large
 * heap does not land in another row's timing. Every row reads fresh Request objects: Node builds
 * a request's header list on its first read.
 */
function perCall(label, prepare, fn) {
  // A timing loop of its own per row: a loop shared by all rows would see several functions at
  // its call site, and V8 would stop inlining them, slowing whichever row happens to run later.
  const loop = new Function("items", "fn", "for (const item of items) fn(item);");
  const passes = [];
  for (let pass = 0; pass < PASSES; pass++) {
    const items = prepare(pass);
    const start = process.hrtime.bigint();
    loop(items, fn);
    passes.push(Number(process.hrtime.bigint() - start) / 1000 / items.length);
  }
  return { label, us: passes.sort((a, b) => a - b)[Math.floor(PASSES / 2)] };
}

// Each pass's UAs are new to the cache: every base UA with ROUNDS last numbers no pass used before.
const distinctUas = (pass) =>
  UAS.flatMap((ua) => Array.from({ length: ROUNDS }, (_, r) => variant(ua, (pass + 1) * 1_000 + r)));
if (new Set(distinctUas(0)).size !== UAS.length * ROUNDS) throw new Error("variants are not distinct");
// Warm-up, untimed: V8 optimises visitAttributes and the parser, and the 30 UAs get cached.
for (let i = 0; i < 3; i++)
  for (const ua of [...Array(ROUNDS).fill(null), ...UAS, ...distinctUas(100 + i)]) visitAttributes(request(ua));

// The baseline is timed last, when V8 has long settled on its optimised code.
const rows = [
  perCall("ua-parser-js alone (device, OS, browser), distinct UAs", distinctUas, (ua) => {
    const parser = new UAParser(ua);
    return [parser.getDevice(), parser.getOS(), parser.getBrowser()];
  }),
  perCall("isbot() alone, distinct UAs", distinctUas, (ua) => isbot(ua)),
  perCall(
    "visitAttributes, cold (distinct UAs, cache misses)",
    (pass) => distinctUas(pass).map(request),
    visitAttributes,
  ),
  perCall(
    "visitAttributes, cached (the 30 UAs again)",
    () => Array(ROUNDS).fill(UAS).flat().map(request),
    visitAttributes,
  ),
];
const noUa = () =>
  Array(UAS.length * ROUNDS)
    .fill(null)
    .map(request);
const baseline = perCall("baseline: no User-Agent (headers and cf only)", noUa, visitAttributes);
rows.unshift(baseline);

console.log(
  `visitAttributes per call, ${UAS.length} user agents, cache of ${AGENT_CACHE_ENTRIES} entries, Node ${process.version}`,
);
for (const { label, us } of rows) {
  console.log(
    `  ${label.padEnd(56)} ${us.toFixed(2).padStart(7)} µs  ${(us / baseline.us).toFixed(1).padStart(5)}× baseline`,
  );
}
const [cold, cached] = [rows[3].us, rows[4].us];
console.log(`  cached / cold: ${(cached / cold).toFixed(3)}×  (a cache hit saves ${(cold - cached).toFixed(1)} µs)`);
