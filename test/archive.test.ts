import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../src/index";
import { mintClickId } from "../src/lib/clickid";
import { archiveKey } from "../src/visits/archive";
import { countVisits } from "../src/visits/queries";
import { api } from "./helpers";
import { insertConversions, report, visitRecord, writeVisits } from "./report-helpers";

const DAY_MS = 86_400_000;
// 100 and 99 days ago: past a 90-day retention (and 95 days when the setting changes below).
const dayAgo = (n: number) => Math.floor(Date.now() / DAY_MS) - n;
const old = dayAgo(100);
const kept = dayAgo(80);
const isoDay = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);
let oldClickId = "";

async function runCron() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/15 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function gunzipLines(key: string): Promise<any[]> {
  const object = await env.ARCHIVE.get(key);
  expect(object, key).not.toBeNull();
  const text = await new Response(object!.body.pipeThrough(new DecompressionStream("gzip"))).text();
  return text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

beforeAll(async () => {
  // Real click IDs, so the lookup can verify them.
  const visit = async (day: number, i: number, country: string) => {
    const createdAt = day * DAY_MS + 3_600_000 + i * 1000;
    const clickId = await mintClickId(env.CLICKID_SECRET, { visitTime: createdAt, campaignId: 5, offerId: 6 });
    return visitRecord({
      clickId,
      createdAt,
      campaignId: 5,
      offerId: 6,
      country,
      costMicros: 1_000,
      userAgent: "UA/9",
      vars: ["zone9", ...Array(9).fill(null)],
    });
  };
  const visits = [
    ...(await Promise.all(Array.from({ length: 5 }, (_, i) => visit(old, i, "PL")))),
    ...(await Promise.all(Array.from({ length: 3 }, (_, i) => visit(old + 1, i, "DE")))),
    ...(await Promise.all(Array.from({ length: 2 }, (_, i) => visit(kept, i, "US")))),
  ];
  oldClickId = visits[0]!.clickId;
  await writeVisits(visits);
  await insertConversions([
    { campaignId: 5, offerId: 6, clickId: oldClickId, at: old * DAY_MS + 7_200_000, payoutMicros: 4_000_000 },
  ]);
});

describe("archive to R2", () => {
  it("moves days past the retention to one gzip NDJSON file each; reports over them do not change", async () => {
    const range = { from: isoDay(old - 1), to: isoDay(kept + 1), tz: "Asia/Kathmandu" };
    const before = await Promise.all(["country", "var1", "day"].map((groupBy) => report({ ...range, groupBy })));
    await runCron();
    expect(await countVisits(env.DB)).toBe(2);
    const lines = await gunzipLines(archiveKey(old));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({
      clickId: oldClickId,
      campaignId: 5,
      offerId: 6,
      country: "PL",
      var1: "zone9",
      userAgent: "UA/9",
      landerClicks: [],
    });
    expect(await gunzipLines(archiveKey(old + 1))).toHaveLength(3);
    expect(await env.ARCHIVE.get(archiveKey(kept))).toBeNull();
    const after = await Promise.all(["country", "var1", "day"].map((groupBy) => report({ ...range, groupBy })));
    expect(after).toEqual(before);
    expect(after[0].rows.map((r: any) => [r.key, r.visits, r.conversions])).toEqual([
      ["PL", 5, 1],
      ["DE", 3, 0],
      ["US", 2, 0],
    ]);
  });

  it("GET /api/visits says an archived visit is archived, and where", async () => {
    const res = await api("GET", `/visits/${oldClickId}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      archive: { day: isoDay(old), file: archiveKey(old) },
      conversions: [expect.objectContaining({ payout: 4 })],
    });
  });

  it("a shorter retention archives more on the next run; a second run changes nothing", async () => {
    await runCron();
    expect(await countVisits(env.DB)).toBe(2);
    expect((await api("PATCH", "/settings", { visitRetentionDays: 30 })).status).toBe(200);
    await runCron();
    expect(await countVisits(env.DB)).toBe(0);
    expect(await gunzipLines(archiveKey(kept))).toHaveLength(2);
  });
});
