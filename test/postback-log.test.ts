import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { writeLog } from "../src/ingest/postback-log";
import { LOG_MAX_AGE_MS, pruneLog } from "../src/ingest/postback-log-retention";
import { getDb } from "../src/lib/db";
import { api, call, click, eventually, setupCampaign } from "./helpers";

type Entry = {
  id: number;
  receivedAt: string;
  source: string;
  ip: string | null;
  params: Record<string, string>;
  status: string;
  httpStatus: number;
  reason: string | null;
  conversionId: string | null;
};

async function log(query = ""): Promise<{ postbacks: Entry[]; nextCursor: string | null }> {
  const res = await api("GET", `/postbacks${query}`);
  expect(res.status).toBe(200);
  return res.json();
}

/** A refused postback's log entry received at this time, for the retention tests. */
const refusedEntry = (receivedAt: number) => ({
  receivedAt,
  source: "postback" as const,
  ip: null,
  params: { cid: "x" },
  status: "rejected" as const,
  httpStatus: 400,
  reason: "r",
  conversionId: null,
});

const logCount = () => env.DB.prepare("SELECT count(*) AS n FROM postback_log").first<number>("n");

describe("the postback log (GET /api/postbacks)", () => {
  it("records every postback and pixel hit, refused ones too, newest first, secret masked", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const start = (await logCount())!;
    const ip = { "CF-Connecting-IP": "203.0.113.5" };
    const first = await (await call(`/postback?cid=${clickId}&payout=2`, { headers: ip })).json<{
      conversionId: string;
    }>();
    await call(`/postback?cid=${clickId}&payout=2`, { headers: ip });
    await call(`/postback?cid=${clickId}&payout=zzz`, { headers: ip });
    await api("PATCH", "/settings", { postbackSecret: "top-secret" });
    await call(`/postback?cid=${clickId}&txid=2&secret=guess`, { headers: ip });
    await call(`/pixel.gif?txid=3`, { headers: { Cookie: `ct_cid=${clickId}` } });
    await api("PATCH", "/settings", { postbackSecret: null });

    const { postbacks } = await eventually(
      () => log(),
      (l) => l.postbacks.length >= start + 5,
    );
    const [pixel, refused, rejected, duplicate, accepted] = postbacks;
    expect(accepted).toMatchObject({
      source: "postback",
      ip: "203.0.113.5",
      status: "accepted",
      httpStatus: 200,
      conversionId: first.conversionId,
      reason: null,
      params: { cid: clickId, payout: "2" },
    });
    expect(Date.parse(accepted!.receivedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(duplicate).toMatchObject({ status: "duplicate", httpStatus: 200, conversionId: null });
    expect(rejected).toMatchObject({ status: "rejected", httpStatus: 400, reason: expect.stringMatching(/^payout: /) });
    expect(refused).toMatchObject({
      status: "refused",
      httpStatus: 403,
      reason: expect.stringMatching(/secret/),
      params: { cid: clickId, txid: "2", secret: "***" },
    });
    expect(JSON.stringify(postbacks)).not.toContain("guess");
    expect(pixel).toMatchObject({ source: "pixel", status: "accepted", params: { txid: "3", ct_cid: clickId } });
  });

  it("pages with limit and cursor, filters by status, rejects bad queries with 400", async () => {
    const { campaign } = await setupCampaign();
    const before = (await logCount())!;
    const ids = await Promise.all([1, 2, 3, 4, 5].map(() => click(campaign.id).then((c) => c.clickId)));
    for (const cid of ids) await call(`/postback?cid=${cid}`);
    await call(`/postback?cid=nope`);
    await eventually(logCount, (n) => n! >= before + 6);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof log>> = await log(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.postbacks.length).toBeLessThanOrEqual(2);
      seen.push(...page.postbacks.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(before + 6);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(seen.length);

    const rejected = await log("?status=rejected");
    expect(rejected.postbacks.length).toBeGreaterThanOrEqual(1);
    expect(rejected.postbacks.every((p) => p.status === "rejected")).toBe(true);

    for (const q of ["?limit=0", "?limit=abc", "?limit=100000", "?cursor=abc", "?status=nope"]) {
      const res = await api("GET", `/postbacks${q}`);
      expect(res.status, q).toBe(400);
    }
    expect((await call("/api/postbacks")).status).toBe(401);
  });

  it("retention: drops entries older than 30 days and keeps at most the newest N", async () => {
    const db = getDb(env.DB);
    const now = Date.now();
    await writeLog(env.DB, refusedEntry(now - LOG_MAX_AGE_MS - 1000));
    for (let i = 0; i < 5; i++) await writeLog(env.DB, refusedEntry(now - i));
    await pruneLog(db, now);
    const ages = await env.DB.prepare("SELECT received_at FROM postback_log").all<{ received_at: number }>();
    expect(ages.results.every((r) => r.received_at >= now - LOG_MAX_AGE_MS)).toBe(true);

    await pruneLog(db, now, { maxAgeMs: LOG_MAX_AGE_MS, maxRows: 3 });
    expect(await logCount()).toBe(3);
    const newest = await env.DB.prepare("SELECT max(id) AS id FROM postback_log").first<number>("id");
    expect((await log()).postbacks.map((p) => p.id)).toEqual([newest, newest! - 1, newest! - 2]);
  });

  it("retention runs by itself when a write's ids pass a multiple of 1,000", async () => {
    const now = Date.now();
    const old = await env.DB.prepare("SELECT coalesce(max(id), 0) AS id FROM postback_log").first<number>("id");
    const next = Math.ceil((old! + 3) / 1000) * 1000;
    // An entry past the 30 days two ids before the multiple: the write of next - 1 leaves it,
    // the write of next (the multiple) prunes it.
    await env.DB.prepare(
      "INSERT INTO postback_log (id, received_at, source, params, status, http_status) VALUES (?, ?, 'pixel', '{}', 'rejected', 400)",
    )
      .bind(next - 2, now - LOG_MAX_AGE_MS - 1000)
      .run();
    const stale = () =>
      env.DB.prepare("SELECT count(*) AS n FROM postback_log WHERE id = ?")
        .bind(next - 2)
        .first<number>("n");
    await writeLog(env.DB, refusedEntry(now));
    expect(await stale()).toBe(1);
    await writeLog(env.DB, refusedEntry(now));
    expect(await env.DB.prepare("SELECT max(id) AS id FROM postback_log").first<number>("id")).toBe(next);
    expect(await stale()).toBe(0);
  });

  it("params are bounded: long values clipped, at most 30 names", async () => {
    const query = Array.from({ length: 40 }, (_, i) => `p${i}=${"v".repeat(1000)}`).join("&");
    await call(`/postback?${query}`);
    const entry = await eventually(
      () => log("?limit=1"),
      (l) => l.postbacks[0]?.params.p0 !== undefined,
    );
    const params = entry.postbacks[0]!.params;
    expect(Object.keys(params)).toHaveLength(30);
    expect(params.p0!.length).toBe(300);
  });
});
