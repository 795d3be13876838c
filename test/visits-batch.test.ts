import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countD1Statements, d1Counts, resetD1Counts } from "../bench/worker/d1-counter";
import type { NewVisit } from "../src/db/schema";
import { getDb } from "../src/lib/db";
import { DEFAULT_VISIT_BUFFER, VisitBuffer, type VisitBufferOptions } from "../src/visits/buffer";
import { countVisits, getVisit } from "../src/visits/queries";

const db = () => getDb(env.DB);
let seq = 0;

function visit(campaignId: number, extra: Partial<NewVisit> = {}): NewVisit {
  seq++;
  return {
    clickId: `batch-test-${campaignId}-${seq}`.padEnd(32, "x"),
    campaignId,
    offerId: 7,
    createdAt: 1_700_000_000_000 + seq,
    ...extra,
  };
}

/** The real local D1, except that the first `failures` executions throw (a D1 hiccup). */
function flakyD1(failures: number): { d1: D1Database; calls: () => number } {
  let calls = 0;
  const d1 = {
    prepare: (sql: string) => ({
      bind: (...args: unknown[]) => ({
        run: async () => {
          calls++;
          if (calls <= failures) throw new Error("D1_ERROR: simulated network connection lost");
          return env.DB.prepare(sql)
            .bind(...args)
            .run();
        },
      }),
    }),
  } as unknown as D1Database;
  return { d1, calls: () => calls };
}

countD1Statements(env.DB);
const fast: VisitBufferOptions = { ...DEFAULT_VISIT_BUFFER, retryDelayMs: 1 };

describe("visit batching", () => {
  it("writes many concurrent visits in a few statements, all of them", async () => {
    resetD1Counts();
    const buffer = new VisitBuffer(env.DB);
    const n = 300;
    await Promise.all(Array.from({ length: n }, () => buffer.add(visit(101))));
    expect(await countVisits(db(), 101)).toBe(n);
    // 300 small rows fit in one statement; the byte limit may split them, never per visit.
    expect(d1Counts().byKind["insert visits"]).toBeLessThanOrEqual(2);
    expect(d1Counts().total / n).toBeLessThanOrEqual(0.05);
  });

  it("hands a write to wait for only to the visit that opened the batch", async () => {
    const buffer = new VisitBuffer(env.DB);
    const writes = Array.from({ length: 30 }, () => buffer.add(visit(107)));
    expect(writes[0]).toBeInstanceOf(Promise);
    expect(writes.slice(1).every((w) => w === undefined)).toBe(true);
    await writes[0];
    expect(await countVisits(db(), 107)).toBe(30);
  });

  it("round-trips every column, including nulls and non-ASCII text", async () => {
    const buffer = new VisitBuffer(env.DB);
    const v = visit(102, {
      country: "DE",
      userAgent: 'Müller/1.0 "quoted"',
      referrer: null,
      params: '{"var1":"é&x"}',
      costMicros: 12_500,
    });
    await buffer.add(v);
    expect(await getVisit(db(), v.clickId)).toEqual({ ...v, referrer: null });
  });

  it("splits batches at the byte limit, still one statement per batch", async () => {
    resetD1Counts();
    const buffer = new VisitBuffer(env.DB, { ...fast, maxBytes: 10_000 });
    const big = "u".repeat(1000);
    await Promise.all(Array.from({ length: 50 }, () => buffer.add(visit(103, { userAgent: big }))));
    expect(await countVisits(db(), 103)).toBe(50);
    // ~1,050 bytes a row, 10,000 a batch: 9 rows per statement, so 6 statements.
    expect(d1Counts().byKind["insert visits"]).toBe(6);
  });

  it("retries a failed batch once and loses nothing", async () => {
    const { d1, calls } = flakyD1(1);
    const buffer = new VisitBuffer(d1, fast);
    await Promise.all(Array.from({ length: 40 }, () => buffer.add(visit(104))));
    expect(await countVisits(db(), 104)).toBe(40);
    expect(calls()).toBe(2);
  });

  it("a batch that keeps failing is split, so the good rows still land and the promise resolves", async () => {
    const buffer = new VisitBuffer(env.DB, fast);
    // campaign_id is NOT NULL: this row fails the whole statement it is in.
    const poison = visit(105, { campaignId: null as unknown as number });
    const good = Array.from({ length: 20 }, () => visit(105));
    const settled = await Promise.allSettled(
      [...good.slice(0, 10), poison, ...good.slice(10)].map((v) => buffer.add(v)),
    );
    expect(settled.every((s) => s.status === "fulfilled")).toBe(true);
    expect(await countVisits(db(), 105)).toBe(20);
    expect(await getVisit(db(), poison.clickId)).toBeUndefined();
  });

  it("a write that is retried after it did commit does not duplicate or fail", async () => {
    const buffer = new VisitBuffer(env.DB, fast);
    const v = visit(106);
    await buffer.add(v);
    await buffer.add({ ...v });
    expect(await countVisits(db(), 106)).toBe(1);
  });
});
