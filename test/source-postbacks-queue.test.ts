import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SOURCE_POSTBACK_DLQ, SOURCE_POSTBACK_QUEUE } from "../src/delivery/consumer";
import { MAX_ATTEMPTS, RETRY_DELAYS_S } from "../src/delivery/schedule";
import worker from "../src/index";
import wranglerToml from "../wrangler.toml?raw";
import { api } from "./helpers";
import { consume, deliveryRow, standIn, storedDelivery, storeVisit, waitForDelivery } from "./source-postback-helpers";

describe("the retry schedule", () => {
  it("retries first within 30 s, then ever later, for at least 24 hours, and wrangler.toml agrees", () => {
    expect(RETRY_DELAYS_S[0]).toBeLessThanOrEqual(30);
    for (let i = 1; i < RETRY_DELAYS_S.length; i++) expect(RETRY_DELAYS_S[i]).toBeGreaterThan(RETRY_DELAYS_S[i - 1]!);
    expect(RETRY_DELAYS_S.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(24 * 3600);
    expect(Math.max(...RETRY_DELAYS_S)).toBeLessThanOrEqual(12 * 3600); // the longest delay Queues takes
    const consumer = wranglerToml
      .split("[[queues.consumers]]")
      .find((section) => section.trimStart().startsWith(`queue = "${SOURCE_POSTBACK_QUEUE}"\n`))!;
    expect(Number(/max_retries = (\d+)/.exec(consumer)![1])).toBe(RETRY_DELAYS_S.length);
    expect(consumer).toContain(`dead_letter_queue = "${SOURCE_POSTBACK_DLQ}"`);
  });
});

describe("the source-postbacks consumer (queue simulated)", () => {
  it("retries a 500 with the schedule's delay for each attempt, keeping the delivery pending", async () => {
    const network = standIn();
    const d = await storedDelivery(network.url("/pb?c={clickid}&p={payout}"));
    await network.script([{ status: 500 }, { status: 502 }, { status: 503 }]);
    for (const attempt of [1, 2, 3]) {
      const result = await consume(SOURCE_POSTBACK_QUEUE, [{ id: d.id }], attempt);
      expect(result.retryMessages).toEqual([{ msgId: "msg-0", delaySeconds: RETRY_DELAYS_S[attempt - 1] }]);
      expect(result.explicitAcks).toEqual([]);
    }
    expect(await deliveryRow(d.id)).toMatchObject({
      state: "pending",
      attempts: 3,
      lastHttpStatus: 503,
      lastError: "HTTP 503",
    });
    expect((await network.calls()).map((c) => new URL(c.url, "http://x").searchParams.get("p"))).toEqual([
      "3",
      "3",
      "3",
    ]);
  });

  it("waits as long as a 429's Retry-After asks when that is longer than the schedule", async () => {
    const network = standIn();
    const d = await storedDelivery(network.url("/pb"));
    await network.script([
      { status: 429, retryAfter: "120" },
      { status: 429, retryAfter: "1" },
    ]);
    expect((await consume(SOURCE_POSTBACK_QUEUE, [{ id: d.id }], 1)).retryMessages[0]!.delaySeconds).toBe(120);
    expect((await consume(SOURCE_POSTBACK_QUEUE, [{ id: d.id }], 2)).retryMessages[0]!.delaySeconds).toBe(60);
  });

  it("never retries a 4xx: one call, acknowledged, failed", async () => {
    const network = standIn();
    const d = await storedDelivery(network.url("/pb"));
    await network.script([{ status: 400 }]);
    const result = await consume(SOURCE_POSTBACK_QUEUE, [{ id: d.id }]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(await deliveryRow(d.id)).toMatchObject({ state: "failed", attempts: 1, lastHttpStatus: 400 });
    // A late copy of the message calls nobody.
    await consume(SOURCE_POSTBACK_QUEUE, [{ id: d.id }]);
    expect(await network.calls()).toHaveLength(1);
  });

  it("sends what fails after the last retry to the dead-letter queue, whose consumer marks it failed; Retry delivers it", {
    timeout: 30_000,
  }, async () => {
    const network = standIn();
    const d = await storedDelivery(network.url("/pb?c={clickid}"));
    await network.script([{ status: 503 }]);
    // The last attempt fails too: retry() with attempts = max_retries + 1 moves it to the DLQ.
    const last = await consume(SOURCE_POSTBACK_QUEUE, [{ id: d.id }], MAX_ATTEMPTS);
    expect(last.retryMessages).toHaveLength(1);
    expect((await deliveryRow(d.id))!.state).toBe("pending");
    const dead = await consume(SOURCE_POSTBACK_DLQ, [{ id: d.id }]);
    expect(dead.explicitAcks).toEqual(["msg-0"]);
    expect(await deliveryRow(d.id)).toMatchObject({ state: "failed", lastHttpStatus: 503, lastError: "HTTP 503" });

    // The admin's Retry: a fresh round through the real (local) queue; the network answers 200 now.
    const res = await api("POST", `/source-postbacks/${encodeURIComponent(d.id)}/retry`);
    expect(res.status).toBe(202);
    const delivered = await waitForDelivery(d.conversionId, (x) => x.status === "delivered");
    expect(delivered).toMatchObject({ attempts: 2, lastHttpStatus: 200 });
    expect((await network.calls()).map((c) => c.status)).toEqual([503, 200]);
  });

  it("answers 409 to a Retry of a delivery still pending", async () => {
    const d = await storedDelivery(standIn().url("/pb"));
    const res = await api("POST", `/source-postbacks/${encodeURIComponent(d.id)}/retry`);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: "conflict", error: expect.stringContaining("pending") });
  });

  it("follows no redirect: a 3xx is failed at once, naming where it pointed, and nothing else is called", async () => {
    for (const status of [301, 302, 307]) {
      const network = standIn();
      const d = await storedDelivery(network.url("/a"));
      await network.script([{ status, location: "http://169.254.169.254/latest" }]);
      const result = await consume(SOURCE_POSTBACK_QUEUE, [{ id: d.id }]);
      expect(result.retryMessages).toEqual([]);
      expect(await deliveryRow(d.id)).toMatchObject({
        state: "failed",
        attempts: 1,
        lastHttpStatus: status,
        lastError: "redirect to http://169.254.169.254/latest not followed",
      });
      expect(await network.calls()).toHaveLength(1);
    }
  });

  it("retries network errors and calls that get no answer within 10 s", { timeout: 30_000 }, async () => {
    const refused = await storedDelivery("http://127.0.0.1:1/pb");
    const r1 = await consume(SOURCE_POSTBACK_QUEUE, [{ id: refused.id }]);
    expect(r1.retryMessages).toEqual([{ msgId: "msg-0", delaySeconds: RETRY_DELAYS_S[0] }]);
    const row = await deliveryRow(refused.id);
    expect(row).toMatchObject({ state: "pending", attempts: 1, lastHttpStatus: null });
    expect(row!.lastError).toMatch(/^network error/);

    const network = standIn();
    const slow = await storedDelivery(network.url("/slow"));
    // The answer would come after 20 s: giving up well before it, a loaded machine included.
    await network.script([{ status: 200, delayMs: 20_000 }]);
    const started = Date.now();
    const r2 = await consume(SOURCE_POSTBACK_QUEUE, [{ id: slow.id }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_900);
    expect(Date.now() - started).toBeLessThan(18_000);
    expect(r2.retryMessages).toHaveLength(1);
    expect(await deliveryRow(slow.id)).toMatchObject({ state: "pending", lastError: "no answer within 10 s" });
  });

  it("calls once for two copies of a message in flight, and not at all once delivered", async () => {
    const network = standIn();
    const d = await storedDelivery(network.url("/pb"));
    await network.script([{ status: 200, delayMs: 300 }]);
    const result = await consume(SOURCE_POSTBACK_QUEUE, [{ id: d.id }, { id: d.id }]);
    expect(result.explicitAcks.sort()).toEqual(["msg-0", "msg-1"]);
    await consume(SOURCE_POSTBACK_QUEUE, [{ id: d.id }]);
    expect(await network.calls()).toHaveLength(1);
    expect(await deliveryRow(d.id)).toMatchObject({ state: "delivered", attempts: 1 });
  });

  it("waits for a visit not stored yet without spending retries, then sends its values", {
    timeout: 30_000,
  }, async () => {
    const network = standIn();
    const d = await storedDelivery(network.url("/pb?ext={externalid}&zone={var1}&cc={country.code}"));
    const result = await consume(SOURCE_POSTBACK_QUEUE, [{ id: d.id }]);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(result.retryMessages).toEqual([]);
    expect(await deliveryRow(d.id)).toMatchObject({ state: "pending", attempts: 0, leaseUntil: null });
    expect(await network.calls()).toHaveLength(0);
    // The visit lands; the waiting message (sent with a 10 s delay to the local queue) finds it.
    await storeVisit(d.clickId, d.campaign.id, d.offer.id, { externalId: "net-7", vars: ["z9"] });
    const delivered = await waitForDelivery(d.conversionId, (x) => x.status === "delivered");
    expect(Object.fromEntries(new URL(delivered.url!).searchParams)).toEqual({ ext: "net-7", zone: "z9", cc: "FR" });
  });

  it("fails a delivery whose visit is still missing a day later, naming it, without calling", async () => {
    const network = standIn();
    const d = await storedDelivery(network.url("/pb?ext={externalid}"), { createdAt: Date.now() - 25 * 3600_000 });
    await consume(SOURCE_POSTBACK_QUEUE, [{ id: d.id }]);
    const row = await deliveryRow(d.id);
    expect(row).toMatchObject({ state: "failed", attempts: 0, url: null });
    expect(row!.lastError).toContain(`the visit of click ${d.clickId} is not stored`);
    expect(await network.calls()).toHaveLength(0);
  });
});

describe("the cron", () => {
  it("sends deliveries stored but never queued, deletes those past 30 days, fails those the queue lost", {
    timeout: 30_000,
  }, async () => {
    const now = Date.now();
    const network = standIn();
    const unsent = await storedDelivery(network.url("/unsent"), { createdAt: now - 120_000 });
    const fresh = await storedDelivery(network.url("/fresh"), { createdAt: now - 5_000 });
    const old = await storedDelivery(network.url("/old"), { createdAt: now - 31 * 86_400_000 });
    const kept = await storedDelivery(network.url("/kept"), { createdAt: now - 29 * 86_400_000 });
    const lost = await storedDelivery(network.url("/lost"), { createdAt: now - 29 * 86_400_000 });
    await env.DB.prepare("UPDATE source_postbacks SET enqueued_at = ?2, updated_at = ?2 WHERE id IN (?1, ?3)")
      .bind(lost.id, now - 49 * 3600_000, kept.id)
      .run();

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "*/15 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);

    expect(await deliveryRow(old.id)).toBeUndefined();
    expect((await deliveryRow(fresh.id))!.enqueuedAt).toBeNull(); // its own write may still send it
    expect(await deliveryRow(lost.id)).toMatchObject({ state: "failed", lastError: "no answer recorded" });
    expect((await deliveryRow(kept.id))!.state).toBe("failed"); // enqueued 49 h ago and never answered
    await waitForDelivery(unsent.conversionId, (x) => x.status === "delivered");
    expect((await network.calls()).map((c) => c.url.split("?")[0]!.split("/").pop())).toEqual(["unsent"]);
  });
});
