import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { sqlLiteral, valuesStatements } from "../src/lib/sql-values";
import {
  DEAD_LETTER_PREFIX,
  replayDeadLetters,
  retryDelaySeconds,
  VISIT_DLQ_NAME,
  VISIT_QUEUE_NAME,
} from "../src/visits/consumer";
import { countVisits } from "../src/visits/queries";
import { recordVisit } from "../src/visits/record";
import { encodeVisit, messageBody, newMessageId } from "../src/visits/wire";
import { eventually } from "./helpers";
import { visitRecord } from "./report-helpers";

let seq = 0;
const visit = (campaignId: number, extra = {}) =>
  visitRecord({ clickId: `q${++seq}`.padEnd(32, "q"), campaignId, createdAt: 1_790_000_000_000 + seq, ...extra });
const body = (id: string, visits: ReturnType<typeof visit>[]) => messageBody(id, visits.map(encodeVisit));
const entityVisits = async (campaignId: number) =>
  (await env.DB.prepare("SELECT sum(visits) AS n FROM rollup_q WHERE dim = 0 AND campaign_id = ?1")
    .bind(campaignId)
    .first<{ n: number | null }>())!.n ?? 0;

/** Runs the worker's queue() handler on messages, as the queue would deliver them. */
async function deliver(queue: string, messages: { id: string; body: unknown; attempts?: number }[], e: Env = env) {
  const batch = createMessageBatch(
    queue,
    messages.map((m) => ({ id: m.id, body: m.body, timestamp: new Date(), attempts: m.attempts ?? 1 })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, e, ctx);
  return getQueueResult(batch, ctx);
}

/** The real D1, except that every statement fails (an outage). */
const brokenDb = {
  prepare: () => {
    throw new Error("D1_ERROR: Network connection lost.");
  },
  batch: () => Promise.reject(new Error("D1_ERROR: Network connection lost.")),
} as unknown as D1Database;

describe("visits through the queue", () => {
  it("writes a message's visits and their rollups in one batch, and a redelivery applies nothing twice", async () => {
    const visits = Array.from({ length: 30 }, () =>
      visit(201, { country: "DE", vars: ["z1", ...Array(9).fill(null)] }),
    );
    const id = newMessageId();
    const first = await deliver(VISIT_QUEUE_NAME, [{ id: "m1", body: body(id, visits) }]);
    expect(first.explicitAcks).toEqual(["m1"]);
    // Redelivered (the ack was lost), and the same message inside another batch.
    await deliver(VISIT_QUEUE_NAME, [{ id: "m1", body: body(id, visits), attempts: 2 }]);
    await deliver(VISIT_QUEUE_NAME, [
      { id: "m2", body: body(id, visits) },
      { id: "m3", body: body(newMessageId(), [visit(201)]) },
    ]);
    expect(await countVisits(env.DB, 201)).toBe(31);
    expect(await entityVisits(201)).toBe(31);
  });

  it("stores what visitors sent character for character, over several statements", async () => {
    const odd = [
      'it\'s "quoted" \\ back',
      "'); DROP TABLE raw_visits; --",
      "zürich 東京 🎯",
      "tab\there",
      `${"x".repeat(250)}'`,
    ];
    // Long values: 1,200 visits make several statements, each under D1's 100 KB of SQL.
    const visits = Array.from({ length: 1200 }, (_, i) =>
      visit(207, { externalId: odd[i % odd.length]!, adClickIds: { gclid: `g'${i}${"y".repeat(60)}` } }),
    );
    const acks = await deliver(VISIT_QUEUE_NAME, [{ id: "odd", body: body(newMessageId(), visits) }]);
    expect(acks.explicitAcks).toEqual(["odd"]);
    const rows = await env.DB.prepare(
      "SELECT click_id, external_id, gclid FROM raw_visits WHERE campaign_id = 207 ORDER BY created_at",
    ).all<{ click_id: string; external_id: string; gclid: string }>();
    expect(rows.results).toEqual(
      visits.map((v) => ({ click_id: v.clickId, external_id: v.externalId, gclid: v.adClickIds!.gclid })),
    );
    expect(await entityVisits(207)).toBe(1200);
  });

  it("retries every message while D1 is down, with a growing delay, and loses none once it is back", async () => {
    const messages = [1, 2, 3].map((n) => ({ id: `down${n}`, body: body(newMessageId(), [visit(202), visit(202)]) }));
    for (const attempts of [1, 2, 3]) {
      const result = await deliver(
        VISIT_QUEUE_NAME,
        messages.map((m) => ({ ...m, attempts })),
        { ...env, DB: brokenDb },
      );
      expect(result.explicitAcks).toEqual([]);
      expect(result.retryMessages.map((r) => r.msgId).sort()).toEqual(["down1", "down2", "down3"]);
    }
    // (getQueueResult does not report delays.) 5 s, 10 s, 20 s, 40 s: four retries outlast a minute.
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([5, 10, 20, 40]);
    expect(retryDelaySeconds(30)).toBe(300);
    const back = await deliver(
      VISIT_QUEUE_NAME,
      messages.map((m) => ({ ...m, attempts: 4 })),
    );
    expect(back.explicitAcks.sort()).toEqual(["down1", "down2", "down3"]);
    expect(await countVisits(env.DB, 202)).toBe(6);
  });

  it("a malformed message does not hold back the others; it is kept in R2", async () => {
    const result = await deliver(VISIT_QUEUE_NAME, [
      { id: "bad", body: "{not json" },
      { id: "good", body: body(newMessageId(), [visit(203)]) },
    ]);
    expect(result.explicitAcks.sort()).toEqual(["bad", "good"]);
    expect(await countVisits(env.DB, 203)).toBe(1);
    expect(await env.ARCHIVE.get(`${DEAD_LETTER_PREFIX}bad.json`)).not.toBeNull();
  });

  it("dead letters that D1 still refuses wait in R2 and the cron replays them", async () => {
    const dead = { id: "dlq1", body: body(newMessageId(), [visit(204), visit(204), visit(204)]) };
    const result = await deliver(VISIT_DLQ_NAME, [dead], { ...env, DB: brokenDb });
    expect(result.explicitAcks).toEqual(["dlq1"]);
    expect(await countVisits(env.DB, 204)).toBe(0);
    expect(await replayDeadLetters(env)).toBeGreaterThanOrEqual(1);
    expect(await countVisits(env.DB, 204)).toBe(3);
    expect(await env.ARCHIVE.get(`${DEAD_LETTER_PREFIX}dlq1.json`)).toBeNull();
  });
});

describe("recording a visit", () => {
  it("awaited mode: the visit is in the queue when the promise resolves", async () => {
    // The real local queue, watched: `sent` counts the sends it has confirmed.
    const sent: unknown[] = [];
    const queue = {
      send: (b: unknown, o?: QueueSendOptions) => env.VISIT_QUEUE.send(b, o).then(() => void sent.push(b)),
    } as unknown as Queue;
    const promise = recordVisit(
      { ...env, VISIT_QUEUE_SEND: "awaited", VISIT_QUEUE: queue } as unknown as Env,
      createExecutionContext(),
      visit(205),
    );
    expect(promise).toBeInstanceOf(Promise);
    await promise;
    expect(sent).toHaveLength(1);
    // ...and the queue's consumer stores it.
    expect(
      await eventually(
        () => countVisits(env.DB, 205),
        (n) => n === 1,
      ),
    ).toBe(1);
  });

  it("a queue that refuses the send twice: the visit is written to D1 directly", async () => {
    const queue = { send: () => Promise.reject(new Error("queue unavailable")) } as unknown as Queue;
    const awaitedEnv = { ...env, VISIT_QUEUE_SEND: "awaited", VISIT_QUEUE: queue } as unknown as Env;
    await recordVisit(awaitedEnv, createExecutionContext(), visit(206));
    expect(await countVisits(env.DB, 206)).toBe(1);
  });
});

describe("SQL literals", () => {
  it("quote text, spell other characters as UTF-8 bytes, and refuse what is no column value", () => {
    expect(sqlLiteral("a'b")).toBe("'a''b'");
    expect(sqlLiteral("é\n")).toBe("CAST(X'c3a90a' AS TEXT)");
    expect([sqlLiteral(null), sqlLiteral(undefined), sqlLiteral(true), sqlLiteral(-42)]).toEqual([
      "NULL",
      "NULL",
      "1",
      "-42",
    ]);
    expect(() => sqlLiteral(1.5)).toThrow(/integer/);
    expect(() => sqlLiteral(Number.NaN)).toThrow(/integer/);
    expect(() => sqlLiteral({} as unknown as string)).toThrow(/column value/);
  });

  it("cut many rows into statements of at most 90,000 bytes, every row in exactly one", () => {
    const rows = Array.from({ length: 3000 }, (_, i) => [i, `row ${i} ${"v".repeat(80)}`]);
    const sql = valuesStatements("INSERT INTO t (a, b)", rows, "ON CONFLICT DO NOTHING");
    expect(sql.length).toBe(4);
    for (const statement of sql) {
      expect(statement.length).toBeLessThanOrEqual(90_000);
      expect(statement).toMatch(/^INSERT INTO t \(a, b\) VALUES \(\d+,'row .*'\) ON CONFLICT DO NOTHING$/);
    }
    const ids = sql.flatMap((statement) => [...statement.matchAll(/\((\d+),'row /g)].map((m) => Number(m[1])));
    expect(ids).toEqual(rows.map((r) => r[0]));
  });
});
