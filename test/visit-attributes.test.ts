import { describe, expect, it } from "vitest";
import {
  AGENT_CACHE_ENTRIES,
  DEVICE_TYPES,
  MAX_USER_AGENT_LENGTH,
  type VisitAttributes,
  visitAttributes,
} from "../src/visits/attributes";
import { agentCacheSize } from "../src/visits/attributes/agent";

/** The attributes of a click carrying these headers and this `request.cf`. */
function visit(headers: Record<string, string>, cf?: Record<string, unknown>): VisitAttributes {
  return visitAttributes(new Request("https://t.example/c/1", { headers, cf: cf as IncomingRequestCfProperties }));
}
const ua = (userAgent: string) => visit({ "user-agent": userAgent });

const UA = {
  iphoneSafari:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  samsungChrome:
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36",
  reducedAndroid:
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  instagram:
    "Mozilla/5.0 (Linux; Android 12; SM-G991B Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 Instagram 330.0.0.40.92 Android (31/12; 420dpi; 1080x2177; samsung; SM-G991B; o1s; exynos2100; en_US; 597254373)",
  ipad: "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
  windowsChrome:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  macSafari:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  macChrome:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  linuxFirefox: "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
  tizenTv:
    "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 85.0.4183.93/6.0 TV Safari/537.36",
  webosTv:
    "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.79 Safari/537.36 WebAppManager",
  ps5: "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15",
  xbox: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edge/44.18363.8131",
  galaxyWatch:
    "Mozilla/5.0 (Linux; Android 11; SM-R890) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/1.0 Chrome/87.0.4280.141 Mobile Safari/537.36",
  pixelWatch:
    "Mozilla/5.0 (Linux; Android 11; Pixel Watch Build/RWDC.230605.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.43 Mobile Safari/537.36",
  operaMini: "Opera/9.80 (Android; Opera Mini/36.2.2254/119.132; U; id) Presto/2.12.423 Version/12.16",
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  googlebotPhone:
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  headless:
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.6478.126 Safari/537.36",
  curl: "curl/8.5.0",
};

type Str = string | null | undefined;
/** Expected agent attributes; undefined = not checked (the parser's guess is not the point there). */
function agent(
  deviceType: string,
  brand: Str,
  model: Str,
  os: Str,
  osVersion: Str,
  browser: Str,
  version: Str,
  bot = false,
) {
  const all = { deviceType, brand, model, os, osVersion, browser, browserVersion: version, bot };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Partial<VisitAttributes>;
}
const _ = undefined;

const TABLE: [string, string, Partial<VisitAttributes>][] = [
  ["iPhone Safari", UA.iphoneSafari, agent("mobile", "Apple", "iPhone", "iOS", "17.5", "Safari", "17")],
  [
    "Galaxy S23 Ultra Chrome",
    UA.samsungChrome,
    agent("mobile", "Samsung", "SM-S918B", "Android", "14", "Chrome", "126"),
  ],
  ["Chrome's reduced Android UA", UA.reducedAndroid, agent("mobile", null, null, "Android", "10", "Chrome", "131")],
  ["Instagram in-app", UA.instagram, agent("mobile", "Samsung", "SM-G991B", "Android", "12", "Instagram", "330")],
  ["iPad", UA.ipad, agent("tablet", "Apple", "iPad", "iOS", "16.6", "Safari", "16")],
  // Windows 10 and 11 send the same UA: only Client Hints tell 11 (below).
  ["Windows Chrome", UA.windowsChrome, agent("desktop", null, null, "Windows", "10", "Chrome", "126")],
  ["macOS Safari", UA.macSafari, agent("desktop", "Apple", _, "macOS", "10.15", "Safari", "17")],
  ["Linux Firefox", UA.linuxFirefox, agent("desktop", null, null, "Linux", null, "Firefox", "127")],
  ["Samsung Tizen TV", UA.tizenTv, agent("tv", _, _, "Tizen", "6", _, _)],
  ["LG webOS TV", UA.webosTv, agent("tv", _, _, "webOS", _, _, _)],
  ["PlayStation 5", UA.ps5, agent("console", "Sony", "PlayStation 5", _, _, _, _)],
  ["Xbox One", UA.xbox, agent("console", "Microsoft", "Xbox One", _, _, _, _)],
  ["Galaxy Watch", UA.galaxyWatch, agent("wearable", "Samsung", "SM-R890", "Android", "11", _, _)],
  ["Pixel Watch (Wear OS)", UA.pixelWatch, agent("wearable", _, "Pixel Watch", "Android", "11", _, _)],
  ["Opera Mini (no device in the UA)", UA.operaMini, agent("mobile", _, _, "Android", _, "Opera Mini", "36")],
  ["Googlebot", UA.googlebot, agent("other", null, null, null, null, null, null, true)],
  ["Googlebot smartphone", UA.googlebotPhone, agent("mobile", _, _, "Android", _, _, _, true)],
  ["headless Chrome", UA.headless, agent("desktop", _, _, "Linux", _, "Chrome Headless", "126", true)],
  ["curl", UA.curl, agent("other", null, null, null, null, null, null, true)],
];

describe("user agents", () => {
  it.each(TABLE)("%s", (_name, userAgent, expected) => {
    const attributes = ua(userAgent);
    expect(attributes).toMatchObject(expected);
    expect(attributes.userAgent).toBe(userAgent);
  });

  it("covers every device type, and gives only those", () => {
    const types = TABLE.map(([, userAgent]) => ua(userAgent).deviceType);
    expect(new Set(types)).toEqual(new Set(DEVICE_TYPES));
  });

  it("marks a visit with no or an empty user agent as a bot of unknown device", () => {
    for (const headers of [{}, { "user-agent": "" }, { "user-agent": "   " }] as Record<string, string>[]) {
      expect(visit(headers)).toMatchObject({
        userAgent: null,
        bot: true,
        deviceType: "other",
        os: null,
        browser: null,
      });
    }
  });

  it(`clips a long user agent to ${MAX_USER_AGENT_LENGTH} characters and still parses it`, () => {
    const attributes = ua(UA.samsungChrome + " x".repeat(2000));
    expect(attributes.userAgent).toHaveLength(MAX_USER_AGENT_LENGTH);
    expect(attributes).toMatchObject({ brand: "Samsung", model: "SM-S918B", browser: "Chrome" });
  });
});

describe("Client Hints", () => {
  const brands = '"Not/A)Brand";v="8", "Chromium";v="126", "Google Chrome";v="126"';

  it("tell Windows 11 (platform version 13 and up) from Windows 10 (1 to 10)", () => {
    const windows = (version: string) =>
      visit({
        "user-agent": UA.windowsChrome,
        "sec-ch-ua-platform": '"Windows"',
        "sec-ch-ua-platform-version": `"${version}"`,
        "sec-ch-ua": brands,
      });
    expect(windows("15.0.0")).toMatchObject({
      os: "Windows",
      osVersion: "11",
      browser: "Chrome",
      browserVersion: "126",
    });
    expect(windows("13.0.0").osVersion).toBe("11");
    expect(windows("10.0.0").osVersion).toBe("10");
    expect(windows("0.3.0").osVersion).toBe("8.1");
  });

  it("give macOS's real version, which the UA freezes at 10.15.7", () => {
    const mac = visit({
      "user-agent": UA.macChrome,
      "sec-ch-ua-platform": '"macOS"',
      "sec-ch-ua-platform-version": '"14.5.0"',
    });
    expect(mac).toMatchObject({ os: "macOS", osVersion: "14.5", deviceType: "desktop" });
  });

  it("fill the brand, model and OS version a reduced Android UA hides", () => {
    const hints = {
      "user-agent": UA.reducedAndroid,
      "sec-ch-ua-platform": '"Android"',
      "sec-ch-ua-platform-version": '"14.0.0"',
    };
    expect(visit({ ...hints, "sec-ch-ua-model": '"SM-S918B"', "sec-ch-ua-mobile": "?1" })).toMatchObject({
      deviceType: "mobile",
      brand: "Samsung",
      model: "SM-S918B",
      os: "Android",
      osVersion: "14",
    });
    // A Galaxy Tab's model makes it a tablet even though the UA string says "Mobile".
    expect(visit({ ...hints, "sec-ch-ua-model": '"SM-X200"', "sec-ch-ua-mobile": "?0" })).toMatchObject({
      deviceType: "tablet",
      brand: "Samsung",
      model: "SM-X200",
    });
  });

  it("make a visit mobile when the UA says nothing better", () => {
    expect(visit({ "user-agent": "Mozilla/5.0 (compatible)", "sec-ch-ua-mobile": "?1" }).deviceType).toBe("mobile");
    expect(visit({ "user-agent": "Mozilla/5.0 (compatible)", "sec-ch-ua-mobile": "?0" }).deviceType).toBe("other");
    expect(visit({ "user-agent": UA.ipad, "sec-ch-ua-mobile": "?1" }).deviceType).toBe("tablet");
  });

  it("name the browser a Chrome UA hides, skipping GREASE brands and Chromium", () => {
    expect(
      visit({
        "user-agent": UA.windowsChrome,
        "sec-ch-ua": '"Brave";v="126", "Chromium";v="126", "Not/A)Brand";v="8"',
      }),
    ).toMatchObject({ browser: "Brave", browserVersion: "126" });
    const fullList = '"Not)A;Brand";v="99.0.0.0", "Microsoft Edge";v="127.0.2651.74", "Chromium";v="127.0.6533.89"';
    expect(
      visit({ "user-agent": UA.windowsChrome, "sec-ch-ua-full-version-list": fullList, "sec-ch-ua": brands }),
    ).toMatchObject({ browser: "Edge", browserVersion: "127" });
    expect(
      visit({ "user-agent": UA.windowsChrome, "sec-ch-ua": '"Chromium";v="126", "Not A(Brand";v="24"' }).browser,
    ).toBe("Chromium");
    expect(visit({ "user-agent": UA.windowsChrome, "sec-ch-ua": '"Not A(Brand";v="24"' }).browser).toBe("Chrome");
  });

  it("leave an in-app browser the UA names as it is", () => {
    expect(
      visit({
        "user-agent": UA.instagram,
        "sec-ch-ua": '"Android WebView";v="124", "Chromium";v="124", "Not-A.Brand";v="99"',
      }).browser,
    ).toBe("Instagram");
  });

  it("are part of the cache key: the same UA with and without hints reads differently", () => {
    const plain = ua(UA.windowsChrome);
    const hinted = visit({
      "user-agent": UA.windowsChrome,
      "sec-ch-ua-platform": '"Windows"',
      "sec-ch-ua-platform-version": '"19.0.0"',
    });
    expect([plain.osVersion, hinted.osVersion, ua(UA.windowsChrome).osVersion]).toEqual(["10", "11", "10"]);
  });
});

describe("Accept-Language", () => {
  it.each([
    ["en-US,en;q=0.9", "en"],
    ["PT-br", "pt"],
    ["fr;q=0.5, de", "de"],
    ["fr;q=0.5, de;q=0", "fr"],
    ["es-419, en;q=0.8", "es"],
    ["de-CH, fr-CH", "de"],
    ["*", null],
    ["*, nl;q=0.2", "nl"],
    ["", null],
    ["12, ;;", null],
  ])("%j → %j", (header, language) => {
    expect(visit({ "user-agent": UA.iphoneSafari, "accept-language": header }).language).toBe(language);
  });

  it("is null when the header is absent", () => {
    expect(ua(UA.iphoneSafari).language).toBeNull();
  });
});

describe("Referer", () => {
  it.each([
    ["https://www.Example.com/x?y=1", "example.com"],
    ["http://news.example.co.uk/", "news.example.co.uk"],
    ["https://WWW.EXAMPLE.COM./", "example.com"],
    ["https://wwwexample.com/", "wwwexample.com"],
    ["android-app://com.google.android.gm/", "com.google.android.gm"],
    ["not a url", null],
    ["example.com/no-scheme", null],
    ["", null],
  ])("%j → %j", (header, domain) => {
    expect(visit({ "user-agent": UA.iphoneSafari, referer: header }).referrerDomain).toBe(domain);
  });

  it("is null when the header is absent", () => {
    expect(ua(UA.iphoneSafari).referrerDomain).toBeNull();
  });
});

describe("Cloudflare's request data and the IP", () => {
  const comcast = {
    country: "us",
    region: "Texas",
    city: "Austin",
    asn: 7922,
    asOrganization: "Comcast Cable Communications, LLC",
  };

  it("reads country, region, city, ISP and ASN from request.cf", () => {
    expect(visit({ "user-agent": UA.iphoneSafari }, comcast)).toMatchObject({
      country: "US",
      region: "Texas",
      city: "Austin",
      isp: "Comcast Cable Communications, LLC",
      asn: 7922,
      bot: false,
    });
  });

  it("gives nulls without request.cf (local dev) and for Cloudflare's unknown country", () => {
    expect(ua(UA.iphoneSafari)).toMatchObject({ country: null, region: null, city: null, isp: null, asn: null });
    expect(visit({ "user-agent": UA.iphoneSafari }, { country: "XX" }).country).toBeNull();
    expect(visit({ "user-agent": UA.iphoneSafari }, { country: "T1" }).country).toBe("T1");
  });

  it("flags a data-centre ASN as a bot even behind a real browser's UA", () => {
    for (const asn of [16509, 14061, 24940, 16276, 396982]) {
      expect(visit({ "user-agent": UA.windowsChrome }, { ...comcast, asn }).bot).toBe(true);
    }
    // Cloudflare (WARP) and Akamai (iCloud Private Relay) carry real people.
    for (const asn of [13335, 36183])
      expect(visit({ "user-agent": UA.iphoneSafari }, { ...comcast, asn }).bot).toBe(false);
  });

  it("takes the IP from CF-Connecting-IP only", () => {
    expect(visit({ "cf-connecting-ip": "203.0.113.7" }).ip).toBe("203.0.113.7");
    expect(visit({ "cf-connecting-ip": "2001:db8::1" }).ip).toBe("2001:db8::1");
    expect(visit({ "x-real-ip": "203.0.113.7", "x-forwarded-for": "203.0.113.7" }).ip).toBeNull();
    expect(visit({ "cf-connecting-ip": "<script>" }).ip).toBeNull();
  });
});

describe("the parse cache", () => {
  it(`stays within ${AGENT_CACHE_ENTRIES} entries however many user agents arrive`, () => {
    for (let i = 0; i < AGENT_CACHE_ENTRIES + 500; i++)
      ua(`Mozilla/5.0 (Linux; Android 14; SM-S918B) Chrome/126.0.${i}.1 Mobile Safari/537.36`);
    expect(agentCacheSize()).toBe(AGENT_CACHE_ENTRIES);
  });

  it("answers a repeated user agent as the first time", () => {
    const first = ua(UA.samsungChrome);
    expect(ua(UA.samsungChrome)).toEqual(first);
  });
});
