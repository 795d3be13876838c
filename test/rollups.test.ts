import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { writeConversions } from "../src/ingest/d1-write";
import { getDb } from "../src/lib/db";
import { dayStart, localDay, offsetAt, parseDay } from "../src/lib/timezone";
import type { ConversionEvent } from "../src/model/conversion-event";
import { runReport } from "../src/reports/queries";
import { aggregateAttributes } from "../src/visits/aggregate";
import { applyConversionEvents, conversionEventStatements } from "../src/visits/events";
import { applyOrphans, foldClosedDays, foldClosedQuarters } from "../src/visits/maintenance";
import type { LanderClickRecord, VisitRecord } from "../src/visits/types";
import { encodeLanderClick, encodeVisit, newMessageId, type WireRow } from "../src/visits/wire";
import { writeVisitMessages } from "../src/visits/write";
import { api, created } from "./helpers";
import { conversionRecord, visitRecord } from "./report-helpers";

/**
 * Property-style: a random mix of visits, lander clicks, conversions and status changes, written
 * in random order and groupings, some messages delivered twice, some conversions before their
 * visit, the daily fold run halfway: every report must equal what this file computes by hand
 * from the same data.
 */
const db = getDb(env.DB);
// Relative to today: two-attribute drill-downs read raw visits of the retention window only.
const T0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 20 * 86_400_000;
const DAYS = 4;

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Conv {
  id: string;
  visit: VisitRecord;
  offerId: number;
  typeId: number | null;
  at: number;
  status: "approved" | "pending" | "rejected";
  payout: number;
  orphan: boolean;
}

let install = 0;
const firstClick = (v: VisitRecord) => clicks.find((c) => c.clickId === v.clickId);
/** The offer a visit counts under: its own, or its first lander click's. */
const offerOf = (v: VisitRecord) => v.offerId ?? firstClick(v)?.offerId ?? null;
const visits: VisitRecord[] = [];
const clicks: LanderClickRecord[] = [];
const conversions: Conv[] = [];

beforeAll(async () => {
  install = (await created(api("POST", "/conversion-types", { name: "install", includeInConversions: false }))).id;
  const rnd = prng(20261122);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  for (let i = 0; i < 400; i++) {
    const createdAt = T0 + Math.floor(rnd() * DAYS * 86_400_000);
    visits.push(
      visitRecord({
        clickId: `prop${String(i).padStart(6, "0")}`.padEnd(32, "p"),
        createdAt,
        campaignId: pick([1, 2, 3]),
        trafficSourceId: pick([null, 7]),
        ...pick([
          { offerId: null, landerId: 21 },
          { offerId: 11, landerId: null },
          { offerId: 12, landerId: null },
        ]),
        costMicros: pick([0, 10_000, 25_000]),
        country: pick([null, "PL", "US", "IN"]),
        deviceType: pick(["mobile", "desktop"]),
        vars: [pick([null, "zone1", "zone2", "zone3"]), pick([null, "a"]), ...Array(8).fill(null)],
      }),
    );
  }
  for (const v of visits) {
    // A lander visit clicks through to one offer or two (the first counts), or never.
    const visitTime = Math.floor(v.createdAt / 1000) * 1000;
    const click = (after: number) =>
      clicks.push({
        clickId: v.clickId,
        visitTime,
        createdAt: v.createdAt + after,
        campaignId: v.campaignId,
        landerId: 21,
        pathId: null,
        offerId: pick([11, 12, 13]),
      });
    if (v.landerId !== null && rnd() < 0.6) {
      click(5000);
      if (rnd() < 0.4) click(9000);
    }
    if (rnd() < 0.25) {
      conversions.push({
        id: `conv-${v.clickId}`,
        visit: v,
        // As the ingest shard attributes it: a lander visit's first click (0: none yet).
        offerId: v.landerId === null ? pick([11, 12]) : (firstClick(v)?.offerId ?? 0),
        typeId: pick([null, null, install]),
        at: v.createdAt + Math.floor(rnd() * 3 * 3_600_000),
        status: pick(["approved", "approved", "pending", "rejected"]),
        payout: pick([1_000_000, 2_500_000, -500_000]),
        orphan: rnd() < 0.1,
      });
    }
  }
  const registrations = (list: Conv[]) =>
    writeConversions(
      env.DB,
      list.map((c) =>
        conversionRecord({
          id: c.id,
          clickId: c.orphan ? `orphan-${c.id}`.slice(0, 32) : c.visit.clickId,
          visitTime: Math.floor(c.visit.createdAt / 1000) * 1000,
          campaignId: c.visit.campaignId,
          offerId: c.offerId,
          typeId: c.typeId,
          payoutMicros: c.payout,
          conversionTime: c.at,
        }),
      ),
    );
  // Half the conversions register before any visit is stored.
  await registrations(conversions.filter((_, i) => i % 2 === 0));
  const rows: WireRow[] = [
    ...visits.map((v) => JSON.parse(encodeVisit(v)) as WireRow),
    ...clicks.map((c) => JSON.parse(encodeLanderClick(c)) as WireRow),
  ].sort(() => rnd() - 0.5);
  const messages = [];
  for (let i = 0; i < rows.length; i += 37) messages.push({ id: newMessageId(), rows: rows.slice(i, i + 37) });
  for (const [n, m] of messages.entries()) {
    await writeVisitMessages(env.DB, rnd() < 0.3 ? [m, m] : [m]);
    if (rnd() < 0.2) await writeVisitMessages(env.DB, [m]); // redelivered
    // Halfway: the cron aggregates the attribute rows of the first two days and folds them, so
    // the rest mixes late visits (written with their attribute rows) and a raw tail.
    if (n === Math.floor(messages.length / 2)) {
      const cut = T0 + 2 * 86_400_000 + 5 * 900_000;
      expect((await aggregateAttributes(env.DB, cut)).length).toBeGreaterThan(0);
      await foldClosedQuarters(env.DB, cut);
      expect((await foldClosedDays(env.DB)).to).toBeGreaterThan(0);
      // The first half's events, some before their visit is stored.
      expect(await applyConversionEvents(env.DB, 50)).toBeGreaterThan(0);
    }
  }
  await registrations(conversions.filter((_, i) => i % 2 === 1));
  await registrations(conversions.slice(0, 10)); // the shard's retry after an unclear failure
  // Status changes : every non-approved conversion moves from approved to its status.
  const changes: ConversionEvent[] = conversions
    .filter((c) => c.status !== "approved")
    .map((c) => ({
      id: `${c.id}:${c.status}`,
      conversionId: c.id,
      clickId: c.orphan ? `orphan-${c.id}`.slice(0, 32) : c.visit.clickId,
      visitTime: Math.floor(c.visit.createdAt / 1000) * 1000,
      campaignId: c.visit.campaignId,
      offerId: c.offerId,
      landerId: null,
      typeId: c.typeId,
      status: c.status,
      previousStatus: "approved",
      payoutMicros: c.payout,
      previousPayoutMicros: c.payout,
      at: c.at,
    }));
  await env.DB.batch(conversionEventStatements(env.DB, changes));
  await env.DB.batch(conversionEventStatements(env.DB, changes)); // stored once
  await Promise.all([applyConversionEvents(env.DB, 20), applyConversionEvents(env.DB, 30)]); // racing appliers
  await env.DB.batch(conversionEventStatements(env.DB, changes)); // a retry after they were applied
  expect(await applyConversionEvents(env.DB)).toBe(0);
  await applyOrphans(env.DB, Number.MAX_SAFE_INTEGER);
  // Half the pending ones are approved later, at a new payout, and left for the cron: reports
  // add these events before they are applied.
  const approvals = changes
    .filter((e, i) => e.status === "pending" && i % 2 === 0 && !e.clickId.startsWith("orphan-"))
    .map(
      (e): ConversionEvent => ({
        ...e,
        id: `${e.id}:approved`,
        status: "approved",
        previousStatus: "pending",
        payoutMicros: 3_000_000,
      }),
    );
  await env.DB.batch(conversionEventStatements(env.DB, approvals));
  for (const e of approvals)
    Object.assign(conversions.find((c) => c.id === e.conversionId)!, { status: "approved", payout: 3_000_000 });
});

type Counts = {
  visits: number;
  clicks: number;
  cost: number;
  conversions: number;
  revenue: number;
  pending: number;
  pendingRevenue: number;
};
const zero = (): Counts => ({
  visits: 0,
  clicks: 0,
  cost: 0,
  conversions: 0,
  revenue: 0,
  pending: 0,
  pendingRevenue: 0,
});

/** The report computed by hand from the generated data. */
function expected(
  key: (kind: "visit" | "click" | "conv", v: VisitRecord | null, x?: any) => string | number | null,
  keep: (v: VisitRecord | null, c?: Conv) => boolean = () => true,
) {
  const out = new Map<string | number | null, Counts>();
  const bump = (k: string | number | null, f: (c: Counts) => void) => {
    const c = out.get(k) ?? zero();
    f(c);
    out.set(k, c);
  };
  for (const v of visits) {
    if (!keep(v)) continue;
    bump(key("visit", v), (c) => {
      c.visits += 1;
      c.cost += v.costMicros;
    });
  }
  const byId = new Map(visits.map((v) => [v.clickId, v]));
  for (const k of clicks)
    if (keep(byId.get(k.clickId)!)) bump(key("click", byId.get(k.clickId)!, k), (c) => void c.clicks++);
  for (const c of conversions) {
    const v = c.orphan ? null : c.visit;
    if (!keep(v, c)) continue;
    const counted = c.typeId === install ? 0 : 1;
    bump(key("conv", v, c), (x) => {
      if (c.status === "approved") {
        x.conversions += counted;
        x.revenue += c.payout;
      }
      if (c.status === "pending") {
        x.pending += counted;
        x.pendingRevenue += c.payout;
      }
    });
  }
  for (const [k, c] of out) if (Object.values(c).every((n) => n === 0)) out.delete(k);
  return out;
}

async function actual(groupBy: string, tz: string, filters: Record<string, string | number> = {}, start = T0) {
  const from = localDay(tz, start - 86_400_000);
  const to = localDay(tz, start + (DAYS + 1) * 86_400_000);
  const range = { tz, from, to, start: dayStart(tz, parseDay(from)!), end: dayStart(tz, parseDay(to)! + 1) };
  const report = await runReport(db, { range, groupBy, filters, limit: 10_000 });
  const out = new Map<string | number | null, Counts>();
  for (const r of report.rows) {
    const c: Counts = {
      visits: r.visits,
      clicks: r.clicks,
      cost: Math.round(r.cost * 1e6),
      conversions: r.conversions,
      revenue: Math.round(r.revenue * 1e6),
      pending: r.pending,
      pendingRevenue: Math.round(r.pendingRevenue * 1e6),
    };
    if (Object.values(c).some((n) => n !== 0)) out.set(r.key as string | number | null, c);
  }
  return { rows: out, report };
}

const sorted = (m: Map<unknown, Counts>) => [...m].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
const hourIn = (tz: string, t: number) => Math.floor((t + offsetAt(tz, t)) / 3_600_000) % 24;

describe("a conversion that arrives before its visit", () => {
  it("waits for the visit, then counts once under the visit's attributes", async () => {
    // Ten days before the random mix below, so its reports do not see this one.
    const at = T0 - 10 * 86_400_000;
    const visit = visitRecord({
      clickId: "early".padEnd(32, "e"),
      createdAt: at + 123_456,
      campaignId: 9,
      offerId: 11,
      country: "DE",
    });
    const record = conversionRecord({
      id: "early-conv",
      clickId: visit.clickId,
      visitTime: Math.floor(visit.createdAt / 1000) * 1000,
      campaignId: 9,
      offerId: 11,
      payoutMicros: 2_000_000,
      conversionTime: at + 600_000,
    });
    const byCountry = async () => {
      const { rows } = await actual("country", "UTC", { campaignId: 9 }, at);
      return Object.fromEntries([...rows].map(([k, c]) => [k, [c.visits, c.conversions, c.revenue]]));
    };
    await writeConversions(env.DB, [record]);
    expect(await byCountry()).toEqual({});
    const message = { id: newMessageId(), rows: [JSON.parse(encodeVisit(visit)) as WireRow] };
    await writeVisitMessages(env.DB, [message]);
    expect(await byCountry()).toEqual({ DE: [1, 1, 2_000_000] });
    // The shard retries its write, the queue redelivers the visit: nothing moves.
    await writeConversions(env.DB, [record]);
    await writeVisitMessages(env.DB, [message]);
    expect(await byCountry()).toEqual({ DE: [1, 1, 2_000_000] });
  });
});

describe("rollups equal a recomputation from the raw data", () => {
  it.each(["UTC", "Asia/Kathmandu", "America/St_Johns"])(
    "by campaign, offer, country, var1, device, day, hour and type in %s",
    async (tz) => {
      const time = (kind: string, v: VisitRecord | null, x?: any) => (kind === "conv" ? x.at : v!.createdAt);
      const cases: [string, Parameters<typeof expected>[0]][] = [
        ["campaign", (k, v, x) => (k === "conv" ? x.visit.campaignId : v!.campaignId)],
        ["offer", (k, v, x) => (k === "conv" ? x.offerId || null : offerOf(v!))],
        ["lander", (_, v) => v?.landerId ?? null],
        ["trafficSource", (_, v) => v?.trafficSourceId ?? null],
        ["country", (_, v) => v?.country ?? "XX"],
        ["var1", (_, v) => v?.vars[0] ?? null],
        ["device", (_, v) => v?.deviceType ?? null],
        ["day", (k, v, x) => localDay(tz, time(k, v, x))],
        ["hour", (k, v, x) => hourIn(tz, time(k, v, x))],
      ];
      for (const [groupBy, key] of cases) {
        const { rows, report } = await actual(groupBy, tz);
        expect(report.engine).toBe("rollups");
        expect(sorted(rows), `${groupBy} in ${tz}`).toEqual(sorted(expected(key)));
      }
      const { rows } = await actual("conversionType", tz);
      const byType = expected((k, _v, x) => (k === "conv" ? x.typeId : "visits"));
      byType.delete("visits");
      expect(sorted(rows)).toEqual(sorted(byType));
    },
  );

  it("with filters: an entity and one attribute from rollups, two attributes from raw visits", async () => {
    const tz = "Asia/Kathmandu";
    const inCampaign2 = (v: VisitRecord | null, c?: Conv) => (c ? c.visit.campaignId : v!.campaignId) === 2;
    const r1 = await actual("var1", tz, { campaignId: 2 });
    expect(sorted(r1.rows)).toEqual(sorted(expected((_, v) => v?.vars[0] ?? null, inCampaign2)));
    const inPL = (v: VisitRecord | null) => v?.country === "PL";
    const r2 = await actual("campaign", tz, { country: "PL" });
    expect(r2.report.engine).toBe("rollups");
    expect(sorted(r2.rows)).toEqual(
      sorted(expected((k, v, x) => (k === "conv" ? x.visit.campaignId : v!.campaignId), inPL)),
    );
    // An hour filter over folded days reads quarter hours.
    const at5 = (v: VisitRecord | null, c?: Conv) => hourIn(tz, c ? c.at : v!.createdAt) === 5;
    const r4 = await actual("campaign", tz, { hour: 5 });
    const byCampaign = (k: string, v: VisitRecord | null, x?: any) =>
      k === "conv" ? x.visit.campaignId : v!.campaignId;
    expect(sorted(r4.rows)).toEqual(sorted(expected(byCampaign, at5)));
    const plMobile = (v: VisitRecord | null) => v?.country === "PL" && v.deviceType === "mobile";
    const r3 = await actual("var1", tz, { country: "PL", device: "mobile" });
    expect(r3.report.engine).toBe("raw");
    expect(sorted(r3.rows)).toEqual(sorted(expected((_, v) => v?.vars[0] ?? null, plMobile)));
    // An offer filter keeps a lander visit with its first click's offer, in rollups and raw reads.
    const ofOffer = (id: number) => (v: VisitRecord | null, c?: Conv) =>
      c ? c.offerId === id : v !== null && offerOf(v) === id;
    const r5 = await actual("country", tz, { offerId: 13 });
    expect(r5.report.engine).toBe("rollups");
    expect(sorted(r5.rows)).toEqual(sorted(expected((_, v) => v?.country ?? "XX", ofOffer(13))));
    const r6 = await actual("var1", tz, { offerId: 12, country: "PL", device: "mobile" });
    expect(r6.report.engine).toBe("raw");
    expect(sorted(r6.rows)).toEqual(
      sorted(
        expected(
          (_, v) => v?.vars[0] ?? null,
          (v, c) => plMobile(v) && ofOffer(12)(v, c),
        ),
      ),
    );
  });
});
