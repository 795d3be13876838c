import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { countD1Statements, d1Counts, resetD1Counts } from "../bench/worker/d1-counter";
import { ingest } from "../src/ingest";
import { shardOf, shardStub } from "../src/ingest/shards";
import { mintClickId } from "../src/lib/clickid";
import { getDb } from "../src/lib/db";
import { ApiError } from "../src/lib/errors";
import { cachedSettings, updateSettings } from "../src/model/settings";
import { api, call, created, eventually, setupCampaign } from "./helpers";

// What makes a postback cheap: cached settings and catalog, D1 written by the shard after the
// answer in batches, and the postback log written in batches. vitest.config.ts turns the caches
// off and makes the shard write D1 first for the other files; these tests pass the options.
const LONG = 60_000;
const rowsOf = (campaignId: number) =>
  env.DB.prepare("SELECT count(*) AS n FROM conversions WHERE campaign_id = ?").bind(campaignId).first<number>("n");

/** `n` click IDs of one campaign that all belong to the same ingest shard. */
async function clickIdsInOneShard(campaignId: number, offerId: number, n: number): Promise<string[]> {
  const ids: string[] = [];
  let shard = -1;
  while (ids.length < n) {
    const id = await mintClickId(env.CLICKID_SECRET, { visitTime: Date.now(), campaignId, offerId });
    if (shard === -1) shard = shardOf(id);
    if (shardOf(id) === shard) ids.push(id);
  }
  return ids;
}

countD1Statements(env.DB);

describe("deferred D1 writes in the ingest shard", () => {
  it("accepts without waiting for D1, then writes concurrent registrations in a few statements, each once", async () => {
    const { campaign, offer } = await setupCampaign();
    const ids = await clickIdsInOneShard(campaign.id, offer.id, 40);
    resetD1Counts();
    const results = await Promise.all(
      ids.map((clickId) => ingest(env, [{ source: "postback", clickId }], { deferD1Write: true }).then((r) => r[0]!)),
    );
    expect(results.every((r) => r.status === "accepted")).toBe(true);
    expect(
      await eventually(
        () => rowsOf(campaign.id),
        (n) => n === ids.length,
      ),
    ).toBe(ids.length);
    const inserts = d1Counts().byKind["insert conversions"] ?? 0;
    expect(inserts).toBeGreaterThan(0);
    expect(inserts).toBeLessThan(ids.length / 4);
    const stub = shardStub(env, shardOf(ids[0]!));
    expect(
      await eventually(
        () => stub.outboxSize(),
        (n) => n === 0,
      ),
    ).toBe(0);
    // Repeats stay duplicates, and the alarm finds nothing left to write.
    const again = await ingest(env, [{ source: "postback", clickId: ids[0]! }], { deferD1Write: true });
    expect(again[0]!.status).toBe("duplicate");
    await runDurableObjectAlarm(stub);
    expect(await rowsOf(campaign.id)).toBe(ids.length);
  });

  it("an alarm inside the deferral window leaves the registration to its own write", async () => {
    const { campaign, offer } = await setupCampaign();
    const [clickId] = await clickIdsInOneShard(campaign.id, offer.id, 1);
    const stub = shardStub(env, shardOf(clickId!));
    const started = Date.now();
    const [result] = await ingest(env, [{ source: "postback", clickId: clickId! }], { deferD1Write: true });
    expect(result!.status).toBe("accepted");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // Still inside the shard's 1,000 ms window (a loaded machine may take longer: then nothing to
    // tell), the alarm has left the record to the deferred write instead of writing it too.
    if (Date.now() - started < 400) {
      expect(await rowsOf(campaign.id)).toBe(0);
      expect(await stub.outboxSize()).toBe(1);
    }
    expect(
      await eventually(
        () => rowsOf(campaign.id),
        (n) => n === 1,
      ),
    ).toBe(1);
    expect(
      await eventually(
        () => stub.outboxSize(),
        (n) => n === 0,
      ),
    ).toBe(0);
  });

  it("a deferred write that fails stays in the outbox and the alarm writes it once", async () => {
    const { campaign, offer } = await setupCampaign();
    const [clickId] = await clickIdsInOneShard(campaign.id, offer.id, 1);
    const stub = shardStub(env, shardOf(clickId!));
    // The shard's warning is the sign that its deferred write was tried and failed.
    const warn = vi.spyOn(console, "warn");
    const failed = async () =>
      warn.mock.calls.some((args) => args.some((a) => String(a).includes("deferred D1 write failed")));
    await env.DB.exec("ALTER TABLE conversions RENAME TO conversions_away");
    try {
      const [result] = await ingest(env, [{ source: "postback", clickId: clickId! }], { deferD1Write: true });
      expect(result!.status).toBe("accepted");
      expect(await eventually(failed, Boolean)).toBe(true);
      expect(await stub.outboxSize()).toBe(1);
    } finally {
      warn.mockRestore();
      await env.DB.exec("ALTER TABLE conversions_away RENAME TO conversions");
    }
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.outboxSize()).toBe(0);
    expect(await rowsOf(campaign.id)).toBe(1);
  });
});

describe("per-isolate caches for postbacks", () => {
  it("an archived type is still taken within the TTL, rejected once the cache is bypassed or expired", async () => {
    const { campaign, offer } = await setupCampaign();
    const type = await created(api("POST", "/conversion-types", { name: "cached_type" }));
    const [a, b, c] = await clickIdsInOneShard(campaign.id, offer.id, 3);
    const post = (clickId: string, ttl: number) =>
      ingest(env, [{ source: "postback", clickId, type: "cached_type" }], { catalogTtlMs: ttl }).then((r) => r[0]!);
    expect((await post(a!, LONG)).status).toBe("accepted");
    await api("DELETE", `/conversion-types/${type.id}`);
    // The documented lag: this isolate read the catalog less than the TTL ago.
    expect((await post(b!, LONG)).status).toBe("accepted");
    expect(await post(c!, 0)).toMatchObject({ status: "rejected", field: "type", httpStatus: 400 });
  });

  it("a cold cache with D1 unavailable: 503 (unavailable), nothing registered", async () => {
    const { campaign, offer } = await setupCampaign();
    const [clickId] = await clickIdsInOneShard(campaign.id, offer.id, 1);
    await env.DB.exec("ALTER TABLE offers RENAME TO offers_away");
    try {
      const err = await ingest(env, [{ source: "postback", clickId: clickId! }], { catalogTtlMs: LONG }).catch(
        (e) => e,
      );
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe("unavailable");
    } finally {
      await env.DB.exec("ALTER TABLE offers_away RENAME TO offers");
    }
    expect(await rowsOf(campaign.id)).toBe(0);
    expect((await ingest(env, [{ source: "postback", clickId: clickId! }], { catalogTtlMs: LONG }))[0]!.status).toBe(
      "accepted",
    );
  });

  it("settings: cached for the TTL, but a change saved through this isolate applies at once", async () => {
    const db = getDb(env.DB);
    expect((await cachedSettings(db, LONG)).postbackSecret).toBeNull();
    await env.DB.prepare(
      "INSERT INTO settings (id, postback_secret, updated_at) VALUES (1, 'elsewhere', 0) ON CONFLICT (id) DO UPDATE SET postback_secret = 'elsewhere'",
    ).run();
    // Saved by another isolate (written behind this one's back): not seen within the TTL.
    expect((await cachedSettings(db, LONG)).postbackSecret).toBeNull();
    expect((await cachedSettings(db, 0)).postbackSecret).toBe("elsewhere");
    await updateSettings(db, { postbackSecret: "here" });
    expect((await cachedSettings(db, LONG)).postbackSecret).toBe("here");
    await updateSettings(db, { postbackSecret: null });
  });
});

describe("postback log batching", () => {
  it("logs every one of many concurrent postbacks, in a few statements", async () => {
    const before = (await env.DB.prepare("SELECT count(*) AS n FROM postback_log").first<number>("n"))!;
    resetD1Counts();
    const n = 60;
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => call(`/postback?cid=not-a-click-id-${i}`)));
    expect(answers.every((a) => a.status === 400)).toBe(true);
    const logged = await eventually(
      () => env.DB.prepare("SELECT count(*) AS n FROM postback_log").first<number>("n"),
      (count) => count === before + n,
    );
    expect(logged).toBe(before + n);
    const inserts = d1Counts().byKind["insert postback_log"] ?? 0;
    expect(inserts).toBeGreaterThan(0);
    expect(inserts).toBeLessThan(n / 4);
  });
});
