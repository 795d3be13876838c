import { describe, expect, it } from "vitest";
import {
  compileFlow,
  type FlowAttributes,
  type FlowSubject,
  localClock,
  offerForClick,
  routeVisit,
} from "../src/click/flow";
import type { StoredFlow } from "../src/click/flow-store";

const offers = new Map([1, 2, 3].map((id) => [id, { id, name: `O${id}`, url: `https://o${id}.example/` }]));
const landers = new Map([[7, { id: 7, name: "L7", url: "https://l7.example/", offerCount: 2, archived: false }]]);
const path = (number: number, offerIds: number[], landerIds: number[] = [], weight = 100) => ({
  number,
  name: `P${number}`,
  weight,
  landers: landerIds.map((landerId) => ({ landerId, weight: 100 })),
  offers: offerIds.map((offerId) => ({ offerId, weight: 100 })),
});
const stored: StoredFlow = {
  last: 9,
  rules: [
    {
      number: 1,
      name: "Mobile US",
      conditions: [
        { field: "country", op: "in", values: ["US", "CA"] },
        { field: "device", op: "in", values: ["mobile", "tablet"] },
      ],
      paths: [path(2, [1, 2], [7])],
    },
    {
      number: 3,
      name: "Office IPs",
      conditions: [{ field: "ip", op: "in", values: ["203.0.113.0/24", "2001:db8::/32"] }],
      paths: [path(4, [3])],
    },
    {
      number: 5,
      name: "Weekend nights",
      conditions: [
        { field: "weekday", op: "in", values: ["0", "6"] },
        { field: "hour", op: "notIn", values: ["8", "9", "10"] },
      ],
      paths: [path(6, [2])],
    },
    {
      number: 7,
      name: "Humans from zone 42",
      conditions: [
        { field: "bot", op: "in", values: ["false"] },
        { field: "var1", op: "in", values: ["Zone42"] },
      ],
      paths: [path(8, [3])],
    },
  ],
  defaultPaths: [path(9, [1])],
};
const flow = compileFlow(5, stored, offers, landers);

const desktop: FlowAttributes = {
  deviceType: "desktop",
  brand: null,
  os: null,
  browser: null,
  language: "en",
  country: "US",
  region: null,
  city: null,
  isp: null,
  asn: null,
  ip: "198.51.100.1",
  referrerDomain: null,
  bot: false,
};
const subject = (
  a: Partial<FlowAttributes> = {},
  vars: (string | null)[] = [],
  weekday = 3,
  hour = 12,
): FlowSubject => ({
  attributes: { ...desktop, ...a },
  vars,
  clock: () => ({ weekday, hour }),
});
const first = () => 0;
const ruleOf = (s: FlowSubject) => routeVisit(flow, s, first)?.ruleId;

describe("routing a visit through a flow", () => {
  it("takes the first rule whose conditions all hold, else a default path", () => {
    const phone = routeVisit(flow, subject({ deviceType: "mobile" }), first)!;
    expect(phone).toMatchObject({ ruleId: 50_001, path: { id: 50_002 }, lander: { id: 7 }, offer: null });
    expect(ruleOf(subject({ deviceType: "mobile", country: "DE" }))).toBeNull();
    const direct = routeVisit(flow, subject(), first)!;
    expect(direct).toMatchObject({ ruleId: null, path: { id: 50_009 }, lander: null, offer: { id: 1 } });
  });

  it("matches text ignoring case, CIDR ranges, IPv4-mapped addresses and notIn", () => {
    expect(ruleOf(subject({ deviceType: "tablet", country: "ca" }))).toBe(50_001);
    expect(ruleOf(subject({ ip: "203.0.113.77" }))).toBe(50_003);
    expect(ruleOf(subject({ ip: "::ffff:203.0.113.77" }))).toBe(50_003);
    expect(ruleOf(subject({ ip: "2001:db8::5" }))).toBe(50_003);
    expect(ruleOf(subject({ ip: null }))).toBeNull();
    expect(ruleOf(subject({}, [], 6, 22))).toBe(50_005);
    expect(ruleOf(subject({}, [], 6, 9))).toBeNull(); // hour notIn 8-10
    expect(ruleOf(subject({}, [], 1, 22))).toBeNull();
  });

  it("reads var1…var10 and the bot flag", () => {
    expect(ruleOf(subject({}, ["zone42"]))).toBe(50_007);
    expect(ruleOf(subject({ bot: true }, ["zone42"]))).toBeNull();
    expect(ruleOf(subject({}, [null]))).toBeNull();
  });

  it("evaluates weekday and hour only when a rule reaches them", () => {
    let calls = 0;
    const clock = () => {
      calls++;
      return { weekday: 0, hour: 0 };
    };
    const s = { ...subject({ deviceType: "mobile" }), clock };
    routeVisit(flow, s, first);
    expect(calls).toBe(0);
  });

  it("picks paths, landers and offers by weight", () => {
    const weighted = compileFlow(
      1,
      { last: 3, rules: [], defaultPaths: [path(1, [1], [], 1), path(2, [2], [], 3)] },
      offers,
      landers,
    );
    const picks = [0, 0.24, 0.26, 0.99].map((r) => routeVisit(weighted, subject(), () => r)!.offer!.id);
    expect(picks).toEqual([1, 1, 2, 2]);
  });

  it("skips what is archived: a path without a live lander goes straight to an offer, a rule without a live offer is passed over", () => {
    const thin = compileFlow(5, stored, new Map([[1, offers.get(1)!]]), new Map());
    expect(routeVisit(thin, subject({ deviceType: "mobile" }), first)).toMatchObject({
      ruleId: 50_001,
      lander: null,
      offer: { id: 1 },
    });
    expect(routeVisit(thin, subject({ ip: "203.0.113.1" }), first)).toMatchObject({ ruleId: null, offer: { id: 1 } });
    expect(routeVisit(compileFlow(5, stored, new Map(), new Map()), subject(), first)).toBeNull();
  });

  it("gives /click an offer by weight and /click/n the n-th offer, null out of range", () => {
    const p = flow.paths.get(50_002)!;
    expect(offerForClick(p, 2, first)?.id).toBe(2);
    expect(offerForClick(p, 1, first)?.id).toBe(1);
    expect(offerForClick(p, 3, first)).toBeNull();
    expect(offerForClick(p, 0, first)).toBeNull();
    expect(offerForClick(p, undefined, () => 0.99)?.id).toBe(2);
  });

  it("tells weekday and hour in the settings' time zone", () => {
    const instant = Date.UTC(2026, 10, 22, 23, 30); // Sunday 23:30 UTC
    expect(localClock("UTC", instant)).toEqual({ weekday: 0, hour: 23 });
    expect(localClock("Europe/Warsaw", instant)).toEqual({ weekday: 1, hour: 0 });
    expect(localClock("America/New_York", instant)).toEqual({ weekday: 0, hour: 18 });
    expect(localClock("Asia/Kolkata", instant)).toEqual({ weekday: 1, hour: 5 });
  });
});
