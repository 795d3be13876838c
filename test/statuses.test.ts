import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { IngestShard } from "../src/ingest/shard";
import { shardOf, shardStub } from "../src/ingest/shards";
import { verifyClickId } from "../src/lib/clickid";
import { getVisit } from "../src/visits/queries";
import { ADMIN, api, call, click, eventually, setupCampaign } from "./helpers";
import { getJson } from "./report-helpers";

// docs/conversions.md: statuses and their transitions, decided once in the ingest shard, with one Contract B
// event per change written beside the row.

async function postback(query: string) {
  const res = await call(`/postback?${query}`);
  return { status: res.status, body: (await res.json()) as { status?: string; conversionId?: string; error?: string } };
}

const row = (clickId: string) =>
  env.DB.prepare(
    "SELECT id, status, version, payout_micros, status_changed_at, conversion_time FROM conversions WHERE click_id = ?",
  )
    .bind(clickId)
    .first<Record<string, any>>();

const events = (clickId: string) =>
  env.DB.prepare(
    "SELECT id, status, previous_status, payout_micros, previous_payout_micros, at FROM conversion_events WHERE click_id = ? ORDER BY id",
  )
    .bind(clickId)
    .all<Record<string, any>>()
    .then((r) => r.results);

/** What a rollup would hold after applying every event once: counts and payouts per status. */
async function netOfEvents(clickId: string) {
  const net: Record<string, { n: number; micros: number }> = {};
  const bump = (status: string | null, n: number, micros: number) => {
    if (status === null) return;
    net[status] ??= { n: 0, micros: 0 };
    net[status]!.n += n;
    net[status]!.micros += micros;
  };
  for (const e of await events(clickId)) {
    bump(e.previous_status, -1, -e.previous_payout_micros);
    bump(e.status, 1, e.payout_micros);
  }
  return Object.fromEntries(Object.entries(net).filter(([, v]) => v.n !== 0 || v.micros !== 0));
}

const totals = async (campaignId: number) =>
  (await getJson(`/report?campaignId=${campaignId}&groupBy=campaign`)).totals as {
    conversions: number;
    revenue: number;
  };

function upload(text: string, query = "") {
  return call(`/api/conversions/upload${query}`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "text/plain" },
    body: text,
  }).then((r) => r.json<any>());
}

describe("conversion statuses (docs/conversions.md)", () => {
  it("a lead moves to approved, then to rejected; the report and the events follow each step", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    // The visit reaches D1 through the queue; conversion events wait for it, so post back once it is stored.
    const { visitTime } = (await verifyClickId(env.CLICKID_SECRET, clickId))!;
    await eventually(() => getVisit(env.DB, clickId, visitTime), Boolean);
    const lead = await postback(`cid=${clickId}&payout=10&status=lead`);
    expect(lead).toEqual({ status: 200, body: { status: "accepted", conversionId: expect.any(String) } });
    const id = lead.body.conversionId;
    expect(await row(clickId)).toMatchObject({ id, status: "pending", version: 1, payout_micros: 10_000_000 });
    expect(await totals(campaign.id)).toMatchObject({ conversions: 0, revenue: 0 });

    // No payout sent: the old one is kept.
    expect(await postback(`cid=${clickId}&status=sale`)).toEqual({
      status: 200,
      body: { status: "updated", conversionId: id },
    });
    expect(await row(clickId)).toMatchObject({ status: "approved", version: 2, payout_micros: 10_000_000 });
    expect(await totals(campaign.id)).toMatchObject({ conversions: 1, revenue: 10 });

    // A chargeback with its own amount and time.
    const at = "2026-01-05T10:00:00Z";
    expect((await postback(`cid=${clickId}&status=chargeback&payout=9.5&time=${at}`)).body).toEqual({
      status: "updated",
      conversionId: id,
    });
    expect(await row(clickId)).toMatchObject({
      status: "rejected",
      version: 3,
      payout_micros: 9_500_000,
      status_changed_at: Date.parse(at),
    });
    expect(await totals(campaign.id)).toMatchObject({ conversions: 0, revenue: 0 });

    // Nothing leaves rejected; the same status again is a duplicate.
    for (const status of ["approved", "lead", "declined", "sale"]) {
      expect((await postback(`cid=${clickId}&status=${status}`)).body, status).toEqual({ status: "duplicate" });
    }
    const time = (await row(clickId))!.conversion_time;
    expect(await events(clickId)).toEqual([
      {
        id: `${id}:1`,
        status: "pending",
        previous_status: null,
        payout_micros: 10e6,
        previous_payout_micros: 0,
        at: time,
      },
      {
        id: `${id}:2`,
        status: "approved",
        previous_status: "pending",
        payout_micros: 10e6,
        previous_payout_micros: 10e6,
        at: time,
      },
      {
        id: `${id}:3`,
        status: "rejected",
        previous_status: "approved",
        payout_micros: 9.5e6,
        previous_payout_micros: 10e6,
        at: time,
      },
    ]);
    expect(await netOfEvents(clickId)).toEqual({ rejected: { n: 1, micros: 9_500_000 } });
  });

  it("status words: built-ins, cnv_status, any case, the settings' statusMap; an unknown word is a 400 naming status", async () => {
    const { campaign } = await setupCampaign();
    const ids = await Promise.all(Array.from({ length: 5 }, () => click(campaign.id).then((c) => c.clickId)));
    const bad = await postback(`cid=${ids[0]}&status=reg`);
    expect(bad).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^status: unknown status "reg"/) } });
    const badAlias = await postback(`cid=${ids[0]}&cnv_status=reg`);
    expect(badAlias.body.error).toMatch(/^cnv_status: unknown status/);
    expect((await api("PATCH", "/settings", { statusMap: { Reg: "pending", billed: "approved" } })).status).toBe(200);
    expect((await postback(`cid=${ids[0]}&status=REG`)).body.status).toBe("accepted");
    expect((await postback(`cid=${ids[1]}&cnv_status=Hold`)).body.status).toBe("accepted");
    expect((await postback(`cid=${ids[2]}&status=billed`)).body.status).toBe("accepted");
    expect((await postback(`cid=${ids[3]}&status=Declined`)).body.status).toBe("accepted");
    expect((await postback(`cid=${ids[4]}`)).body.status).toBe("accepted");
    const statuses = await Promise.all(ids.map(async (id) => (await row(id))!.status));
    expect(statuses).toEqual(["pending", "pending", "approved", "rejected", "approved"]);
    // The map may not redefine a built-in word, and maps only to the three statuses.
    const clash = await api("PATCH", "/settings", { statusMap: { lead: "approved" } });
    expect(clash.status).toBe(400);
    expect(((await clash.json()) as any).error).toMatch(/statusMap\.lead: "lead" already means pending/);
    const other = await api("PATCH", "/settings", { statusMap: { x: "paid" } });
    expect(((await other.json()) as any).error).toMatch(/statusMap\.x: must be one of approved, pending, rejected/);
    await api("PATCH", "/settings", { statusMap: {} });
  });

  it("50 racing copies of one transition apply once", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    expect((await postback(`cid=${clickId}&status=lead&payout=3`)).body.status).toBe("accepted");
    const answers = await Promise.all(Array.from({ length: 50 }, () => postback(`cid=${clickId}&status=approved`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.status === "updated")).toHaveLength(1);
    expect(answers.filter((a) => a.body.status === "duplicate")).toHaveLength(49);
    expect(await row(clickId)).toMatchObject({ status: "approved", version: 2 });
    expect(await events(clickId)).toHaveLength(2);
    expect(await netOfEvents(clickId)).toEqual({ approved: { n: 1, micros: 3_000_000 } });
  });

  it("a transition racing its own registration ends in one consistent state", async () => {
    const { campaign } = await setupCampaign();
    for (let round = 0; round < 3; round++) {
      const { clickId } = await click(campaign.id);
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => postback(`cid=${clickId}&payout=2&status=${i % 2 ? "lead" : "sale"}`)),
      );
      const by = (s: string) => answers.filter((a) => a.body.status === s).length;
      expect(by("accepted")).toBe(1);
      // Either the lead came first and the sale moved it (one update), or the sale came first.
      expect(by("updated")).toBeLessThanOrEqual(1);
      expect(by("accepted") + by("updated") + by("duplicate")).toBe(40);
      const d1 = await row(clickId);
      expect(d1).toMatchObject({ status: "approved", version: 1 + by("updated") });
      const decided = await runInDurableObject(shardStub(env, shardOf(clickId)), (_: IngestShard, state) =>
        state.storage.sql
          .exec<{ status: string; version: number }>(
            "SELECT status, version FROM decisions WHERE conversion_id = ?",
            d1!.id,
          )
          .one(),
      );
      expect(decided).toEqual({ status: d1!.status, version: d1!.version });
      expect(await netOfEvents(clickId)).toEqual({ approved: { n: 1, micros: 2_000_000 } });
    }
  });

  it("the upload's sixth field is the status; a dry run tells updated from duplicate; the same text twice changes nothing", async () => {
    const { campaign } = await setupCampaign();
    const ids = await Promise.all(Array.from({ length: 3 }, () => click(campaign.id).then((c) => c.clickId)));
    const first = await upload(`${ids[0]},5,,,,hold\n${ids[1]},7,,,,pending\n${ids[2]},1,,,,nope`);
    expect(first.summary).toEqual({ total: 3, accepted: 2, updated: 0, duplicate: 0, rejected: 1 });
    expect(first.lines[0].error).toMatch(/^status: unknown status "nope"/);
    // A line may move a conversion registered by an earlier line of the same upload too.
    const moves = `${ids[0]},,,,,approved\n${ids[1]},6.5,,,,rejected\n${ids[1]},,,,,approved\n${ids[2]},1,,,,lead\n${ids[2]},,,,,sale`;
    const dry = await upload(moves, "?dryRun=1");
    expect(dry.summary).toEqual({ total: 5, accepted: 1, updated: 3, duplicate: 1, rejected: 0 });
    expect((await row(ids[0]!))!.status).toBe("pending");
    const real = await upload(moves);
    expect(real.summary).toEqual(dry.summary);
    expect(real.lines).toEqual([{ line: 3, clickId: ids[1], status: "duplicate", error: expect.any(String) }]);
    expect(await Promise.all(ids.map((id) => row(id!)))).toEqual([
      expect.objectContaining({ status: "approved", payout_micros: 5_000_000 }),
      expect.objectContaining({ status: "rejected", payout_micros: 6_500_000 }),
      expect.objectContaining({ status: "approved", payout_micros: 1_000_000, version: 2 }),
    ]);
    expect((await upload(moves)).summary).toEqual({ total: 5, accepted: 0, updated: 0, duplicate: 5, rejected: 0 });
  });

  it("the conversions list and CSV show each conversion's status", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    await postback(`cid=${clickId}&status=lead`);
    await postback(`cid=${clickId}&status=approved`);
    const list = await getJson(`/conversions?campaignId=${campaign.id}`);
    expect(list.conversions).toEqual([
      expect.objectContaining({ clickId, status: "approved", statusChangedAt: expect.stringMatching(/^\d{4}-/) }),
    ]);
    const csv = await (await api("GET", `/conversions?campaignId=${campaign.id}&format=csv`)).text();
    expect(csv.split("\r\n")[0]).toContain(",status,statusChangedAt,");
    expect(csv.split("\r\n")[1]).toContain(",approved,");
  });
});

describe("transitions under faults", () => {
  it("a transition whose D1 write fails is written by the alarm; an older version written late never rolls it back", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const stub = shardStub(env, shardOf(clickId));
    const { conversionId } = (await postback(`cid=${clickId}&status=lead&payout=4`)).body;
    await env.DB.exec("ALTER TABLE conversions RENAME TO conversions_away");
    try {
      expect((await postback(`cid=${clickId}&status=sale`)).body.status).toBe("updated");
      expect(await stub.outboxSize()).toBe(1);
    } finally {
      await env.DB.exec("ALTER TABLE conversions_away RENAME TO conversions");
    }
    expect(await row(clickId)).toMatchObject({ status: "pending", version: 1 });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await row(clickId)).toMatchObject({ status: "approved", version: 2 });
    // Version 1's record arriving again (a retry whose answer was lost) changes nothing.
    await runInDurableObject(stub, async (_: IngestShard, state) => {
      const v2 = JSON.parse(
        state.storage.sql
          .exec<{ record: string }>("SELECT record FROM decisions WHERE conversion_id = ?", conversionId)
          .one().record,
      );
      const v1 = { ...v2, version: 1, status: "pending", previousStatus: null, previousPayoutMicros: 0 };
      state.storage.sql.exec("INSERT INTO outbox (id, record) VALUES (?, ?)", `${conversionId}:1`, JSON.stringify(v1));
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.outboxSize()).toBe(0);
    expect(await row(clickId)).toMatchObject({ status: "approved", version: 2 });
    expect(await events(clickId)).toHaveLength(2);
  });

  it("a shard from before statuses learns them: its old decisions are approved, a chargeback takes the payout from D1", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const stub = shardStub(env, shardOf(clickId));
    const { conversionId } = (await postback(`cid=${clickId}&payout=12`)).body;
    // Rewrite the shard's table as it was before statuses: (key, id) only.
    await runInDurableObject(stub, (_: IngestShard, state) => {
      const sql = state.storage.sql;
      const rows = sql
        .exec<{ dedupe_key: string; conversion_id: string }>("SELECT dedupe_key, conversion_id FROM decisions")
        .toArray();
      sql.exec("DROP TABLE decisions");
      sql.exec("CREATE TABLE decisions (dedupe_key TEXT PRIMARY KEY, conversion_id TEXT NOT NULL) WITHOUT ROWID");
      for (const r of rows) sql.exec("INSERT INTO decisions VALUES (?, ?)", r.dedupe_key, r.conversion_id);
    });
    await evictDurableObject(stub);
    expect((await postback(`cid=${clickId}&payout=12`)).body.status).toBe("duplicate");
    expect(await postback(`cid=${clickId}&status=chargeback`)).toMatchObject({
      body: { status: "updated", conversionId },
    });
    expect(await row(clickId)).toMatchObject({ status: "rejected", version: 2, payout_micros: 12_000_000 });
    expect((await events(clickId)).at(-1)).toMatchObject({
      status: "rejected",
      previous_status: "approved",
      previous_payout_micros: 12_000_000,
    });
  });
});
