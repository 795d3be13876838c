import { DurableObject } from "cloudflare:workers";
import { v7 as uuidv7 } from "uuid";
import { verifyClickId } from "../lib/clickid";
import { getConfig } from "../lib/config";
import { logWarn } from "../lib/log";
import { type ConversionStatus, isTransition } from "../model/status";
import { type ConversionRecord, changeId, writeConversions } from "./d1-write";
import { MAX_CLICK_PAYOUT_MICROS, MAX_CLICK_PAYOUTS } from "./fields";
import type { PendingConversion } from "./judge";
import { chosenOffers, createLanderClicksTable, type LanderClickNote, noteLanderClicks } from "./lander-clicks";
import { legacyRecords } from "./legacy";

export type ShardOutcome =
  | { status: "accepted"; conversionId: string }
  | { status: "updated"; conversionId: string }
  | { status: "duplicate" }
  /** Its click ID's conversions would pay more than MAX_CLICK_PAYOUTS in all: not registered. */
  | { status: "refused"; message: string };

const CLICK_TOTAL_MESSAGE = `this click ID's conversions would pay more than ${MAX_CLICK_PAYOUTS} in all (absolute values); refused so that sums stay exact`;

const UPSERT_DECISION = "INSERT INTO decisions (dedupe_key, conversion_id, status, version, record)";
const ON_DECISION_CONFLICT =
  "ON CONFLICT (dedupe_key) DO UPDATE SET status = excluded.status, version = excluded.version, record = excluded.record";
const SEEN_ONE = `SELECT ?1 AS click_id, d.dedupe_key, d.conversion_id, d.status, d.version,
    d.record ->> '$.payoutMicros' AS payout, d.dedupe_key = ?2 AS mine,
    CASE WHEN d.dedupe_key = ?2 THEN d.record END AS record
  FROM decisions d WHERE d.dedupe_key > ?1 || '|' AND d.dedupe_key < ?1 || '}'`;
const SEEN_MANY = `SELECT c.value AS click_id, d.dedupe_key, d.conversion_id, d.status, d.version,
    d.record ->> '$.payoutMicros' AS payout, k.value IS NOT NULL AS mine,
    CASE WHEN k.value IS NOT NULL THEN d.record END AS record
  FROM (SELECT DISTINCT value FROM json_each(?1)) c
  JOIN decisions d ON d.dedupe_key > c.value || '|' AND d.dedupe_key < c.value || '}'
  LEFT JOIN (SELECT DISTINCT value FROM json_each(?2)) k ON k.value = d.dedupe_key`;
/**
 * Batches up to this size (postbacks sharing a shard call: about three) run a statement per item
 * with bound values; larger ones (uploads) unpack one JSON parameter per statement.
 */
const FEW = 8;
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 10 * 60_000;
const FLUSH_CHUNK = 1000;
/**
 * How long deferred D1 writes wait for more registrations before one statement writes them all:
 * each D1 batch costs about as much as the conversions in it, so a longer window makes each
 * postback cheaper (100 ms → 500 ms: 2.1 → 4.6 conversions a batch and 25 % less CPU per
 * postback under the bench's load; 500 → 1,000 ms another 3 %, docs/performance.md); a
 * conversion shows in reports that much later.
 */
const DEFER_MS = 1000;

/**
 * Owns the click IDs whose hash falls in its shard and decides, one batch at a time, which
 * conversions are new and which status transitions apply (docs/conversions.md). Its SQLite is the
 * source of truth: `decisions` holds each conversion's latest record (status, payout, version),
 * and a decision commits with an outbox row in one transaction. The D1 write follows (idempotent:
 * the row keeps its highest version, each change's event is written once), the outbox row goes
 * once D1 confirms, and an alarm retries whatever is left. With deferD1Write the answer does not
 * wait for D1: records queue in memory for DEFER_MS and go to D1 together; the outbox and the
 * alarm still cover an object that dies before that write.
 */
export class IngestShard extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private alarmPending = false;
  private failures = 0;
  private deferred: ConversionRecord[] = [];
  /**
   * Outbox keys this instance is writing itself (queued for a deferred write, or being flushed):
   * the alarm leaves them to that write, which under steady traffic would otherwise write a tenth
   * of all conversions twice (each alarm finds the last DEFER_MS of registrations in the outbox).
   */
  private writing = new Set<string>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS decisions (
        dedupe_key TEXT PRIMARY KEY, conversion_id TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'approved', version INTEGER NOT NULL DEFAULT 1, record TEXT
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, record TEXT NOT NULL);`);
    createLanderClicksTable(this.sql);
    // Shards from before statuses remember only (key, id): the new columns start as approved, v1.
    const columns = this.sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('decisions')").toArray();
    if (!columns.some((c) => c.name === "record")) {
      this.sql.exec(`
        ALTER TABLE decisions ADD COLUMN status TEXT NOT NULL DEFAULT 'approved';
        ALTER TABLE decisions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE decisions ADD COLUMN record TEXT;`);
    }
    ctx.blockConcurrencyWhile(async () => {
      this.alarmPending = (await ctx.storage.getAlarm()) !== null;
      // Leftovers from an instance evicted before it could arm the alarm.
      if (!this.alarmPending && this.outboxSize() > 0) this.armAlarm(0);
    });
  }

  /**
   * Registers a batch, in order: a new key is accepted, a key seen before with an allowed status
   * change is updated, anything else is a duplicate (an item repeating a key earlier in the
   * batch included). One outcome per item.
   */
  async register(batch: PendingConversion[], deferD1Write = false): Promise<ShardOutcome[]> {
    let seen = this.seen(batch);
    // Decisions from before statuses carry no record: fetched once, then read again.
    if (seen.legacy.length > 0) {
      await this.fillLegacy(batch, seen.legacy);
      seen = this.seen(batch);
    }
    const { known, totals } = seen;
    const fresh: ConversionRecord[] = [];
    // Three statements per batch, not per item: one read of the batch's click IDs (no await
    // between it and the transaction, so nothing else runs in between), then the decisions and
    // their outbox rows written in bulk, in one transaction.
    const outcomes = this.ctx.storage.transactionSync(() => {
      const result = batch.map((item): ShardOutcome => {
        const before = known.get(item.dedupeKey);
        if (before && !isTransition(before.status, item.status)) return { status: "duplicate" };
        const record = before ? transition(before, item) : registration(item);
        const was = totals.get(item.clickId) ?? 0;
        const total = was - Math.abs(before?.payoutMicros ?? 0) + Math.abs(record.payoutMicros);
        if (total > MAX_CLICK_PAYOUT_MICROS && total > was) return { status: "refused", message: CLICK_TOTAL_MESSAGE };
        totals.set(item.clickId, total);
        known.set(item.dedupeKey, record);
        fresh.push(record);
        return { status: before ? "updated" : "accepted", conversionId: record.id };
      });
      if (fresh.length <= FEW) {
        // A few decisions (postbacks sharing a call): bound values, no JSON to unpack.
        for (const record of fresh) {
          const json = JSON.stringify(record);
          this.sql.exec(
            `${UPSERT_DECISION} VALUES (?1, ?2, ?3, ?4, ?5) ${ON_DECISION_CONFLICT}`,
            record.dedupeKey,
            record.id,
            record.status,
            record.version,
            json,
          );
          this.sql.exec("INSERT INTO outbox (id, record) VALUES (?1, ?2)", changeId(record), json);
        }
      } else {
        const json = JSON.stringify(fresh);
        this.sql.exec(
          `${UPSERT_DECISION}
           SELECT value ->> '$.dedupeKey', value ->> '$.id', value ->> '$.status', value ->> '$.version', value
           FROM json_each(?) WHERE true ${ON_DECISION_CONFLICT}`,
          json,
        );
        this.sql.exec(
          "INSERT INTO outbox (id, record) SELECT (value ->> '$.id') || ':' || (value ->> '$.version'), value FROM json_each(?)",
          json,
        );
      }
      return result;
    });
    if (fresh.length === 0) return outcomes;
    // Armed before the first await, so it commits with the outbox rows; should an instance ever
    // die in between, the constructor re-arms it on the next wake-up.
    if (!this.alarmPending) this.armAlarm(RETRY_BASE_MS);
    for (const r of fresh) this.writing.add(changeId(r));
    if (deferD1Write) {
      // A key D1 already holds under another id (this shard's memory of it was lost) cannot be
      // reported as a duplicate any more: the answer says accepted, D1 keeps its one row.
      if (this.deferred.length === 0) setTimeout(() => void this.flushDeferred(), DEFER_MS);
      this.deferred.push(...fresh);
      return outcomes;
    }
    try {
      const lost = await this.flushOwn(fresh);
      // D1 already held these keys under another id (this shard's memory of them was lost):
      // duplicates after all.
      for (let i = 0; i < outcomes.length; i++) {
        const o = outcomes[i]!;
        if ("conversionId" in o && lost.has(o.conversionId)) outcomes[i] = { status: "duplicate" };
      }
    } catch (err) {
      // Decided and queued: the alarm writes it to D1 later, so the answer stands.
      logWarn("ingest shard: D1 write failed, retrying from the alarm", String(err));
    }
    return outcomes;
  }

  /** Writes the queued records of deferred registrations; on failure the alarm retries them. */
  private async flushDeferred(): Promise<void> {
    const records = this.deferred;
    this.deferred = [];
    try {
      const lost = await this.flushOwn(records);
      if (lost.size > 0) logWarn("ingest shard: D1 already held these keys under other ids", [...lost].join(","));
    } catch (err) {
      logWarn("ingest shard: deferred D1 write failed, retrying from the alarm", String(err));
    }
  }

  /** A write of this instance's own registrations; whatever happens, the alarm may take them after. */
  private async flushOwn(records: ConversionRecord[]): Promise<Set<string>> {
    try {
      return await this.flush(records);
    } finally {
      for (const r of records) this.writing.delete(changeId(r));
    }
  }

  /** GET /click sent these click IDs' visitors from their lander to an offer (see lander-clicks.ts). */
  noteLanderClicks(clicks: LanderClickNote[]): void {
    noteLanderClicks(this.sql, clicks);
  }

  /** The offer each click ID was first sent to from its lander; 0 where none is known. */
  chosenOffers(clickIds: string[]): number[] {
    return chosenOffers(this.sql, clickIds);
  }

  /** Dry run: each key's current status (null: not registered), without deciding anything. */
  peek(keys: string[]): (ConversionStatus | null)[] {
    const rows = this.sql
      .exec<{ dedupe_key: string; status: ConversionStatus }>(
        "SELECT dedupe_key, status FROM decisions WHERE dedupe_key IN (SELECT value FROM json_each(?))",
        JSON.stringify(keys),
      )
      .toArray();
    const status = new Map(rows.map((r) => [r.dedupe_key, r.status]));
    return keys.map((key) => status.get(key) ?? null);
  }

  /**
   * Every decision of the batch's click IDs in one statement (a dedupe key starts with its click
   * ID and "|", so each click ID is one range seek): the latest record of each key of the batch,
   * each click ID's payouts so far (absolute micro-units), and the batch's legacy keys (no record).
   */
  private seen(batch: PendingConversion[]): {
    known: Map<string, ConversionRecord>;
    totals: Map<string, number>;
    legacy: { dedupe_key: string; conversion_id: string }[];
  } {
    // A few items of distinct click IDs (postbacks, alone or sharing a call): each click ID and key
    // bound as they are, no JSON to unpack; a click ID twice in the batch needs the joined form.
    const few = batch.length <= FEW && new Set(batch.map((item) => item.clickId)).size === batch.length;
    const rows = few
      ? batch.flatMap((item) => this.sql.exec<SeenRow>(SEEN_ONE, item.clickId, item.dedupeKey).toArray())
      : this.sql
          .exec<SeenRow>(
            SEEN_MANY,
            JSON.stringify(batch.map((item) => item.clickId)),
            JSON.stringify(batch.map((item) => item.dedupeKey)),
          )
          .toArray();
    const items = new Map(batch.map((item) => [item.dedupeKey, item]));
    const known = new Map<string, ConversionRecord>();
    const totals = new Map<string, number>();
    const legacy: { dedupe_key: string; conversion_id: string }[] = [];
    for (const r of rows) {
      totals.set(r.click_id, (totals.get(r.click_id) ?? 0) + Math.abs(r.payout ?? 0));
      if (!r.mine) continue;
      if (r.record === null) legacy.push({ dedupe_key: r.dedupe_key, conversion_id: r.conversion_id });
      // A legacy decision fillLegacy found nowhere (D1 lost its row): the request stands in for it.
      const record = r.record
        ? (JSON.parse(r.record) as ConversionRecord)
        : { ...registration(items.get(r.dedupe_key)!), id: r.conversion_id, status: r.status, version: r.version };
      known.set(r.dedupe_key, record);
    }
    return { known, totals, legacy };
  }

  /** Rebuilds the records of legacy decisions from the outbox or D1 and stores them, once per conversion. */
  private async fillLegacy(
    batch: PendingConversion[],
    rows: { dedupe_key: string; conversion_id: string }[],
  ): Promise<void> {
    const records = await legacyRecords(this.env.DB, this.sql, rows, batch);
    for (const record of records) {
      this.sql.exec(
        "UPDATE decisions SET record = ? WHERE dedupe_key = ? AND record IS NULL",
        JSON.stringify(record),
        record.dedupeKey,
      );
    }
  }

  async alarm(): Promise<void> {
    this.alarmPending = false;
    try {
      for (;;) {
        const rows = this.sql
          .exec<{ record: string }>(
            "SELECT record FROM outbox WHERE id NOT IN (SELECT value FROM json_each(?)) LIMIT ?",
            JSON.stringify([...this.writing]),
            FLUSH_CHUNK,
          )
          .toArray();
        if (rows.length === 0) break;
        await this.flush(await Promise.all(rows.map((r) => this.upgrade(JSON.parse(r.record)))));
      }
      this.failures = 0;
      // Left to this instance's own writes: looked at again should one of them fail.
      if (this.writing.size > 0 && !this.alarmPending) this.armAlarm(RETRY_BASE_MS);
    } catch (err) {
      this.failures++;
      logWarn("ingest shard: outbox retry failed", String(err));
      this.armAlarm(Math.min(RETRY_BASE_MS * 2 ** this.failures, RETRY_MAX_MS));
    }
  }

  /** An outbox record written before statuses (keyed by the bare id) gets what its event needs. */
  private async upgrade(record: ConversionRecord): Promise<ConversionRecord> {
    if (record.version !== undefined) return record;
    const click = await verifyClickId(getConfig(this.env).clickIdSecret ?? "", record.clickId);
    return {
      ...record,
      version: 1,
      status: "approved",
      visitTime: click?.visitTime ?? record.conversionTime,
      landerId: null,
      statusChangedAt: null,
      previousStatus: null,
      previousPayoutMicros: 0,
      legacyOutboxId: record.id,
    } as ConversionRecord;
  }

  /** Number of changes decided but not yet confirmed by D1. */
  outboxSize(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n;
  }

  private armAlarm(delayMs: number): void {
    this.alarmPending = true;
    void this.ctx.storage.setAlarm(Date.now() + delayMs);
  }

  /** Writes records to D1, drops their outbox rows, returns the ids D1 refused as duplicates of another id. */
  private async flush(records: ConversionRecord[]): Promise<Set<string>> {
    const written = await writeConversions(this.env.DB, records, this.env.SOURCE_POSTBACKS);
    const missing = records.filter((r) => !written.has(r.id));
    const lost = new Set<string>();
    if (missing.length > 0) {
      // Not written: an earlier attempt already wrote this very id (at this version or later),
      // or D1 holds the key under another id.
      const present = await this.env.DB.prepare(
        "SELECT id FROM conversions WHERE id IN (SELECT value FROM json_each(?1))",
      )
        .bind(JSON.stringify(missing.map((r) => r.id)))
        .all<{ id: string }>();
      const ids = new Set(present.results.map((r) => r.id));
      for (const r of missing) if (!ids.has(r.id)) lost.add(r.id);
    }
    const keys = records.map((r) => (r as { legacyOutboxId?: string }).legacyOutboxId ?? changeId(r));
    this.sql.exec("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(keys));
    return lost;
  }
}

type SeenRow = {
  click_id: string;
  dedupe_key: string;
  conversion_id: string;
  status: ConversionStatus;
  version: number;
  payout: number | null;
  record: string | null;
  mine: number;
};

function registration(item: PendingConversion): ConversionRecord {
  const { payoutGiven: _, ...fields } = item;
  return {
    ...fields,
    // Time-ordered (UUIDv7): new conversions and their events land at the end of D1's primary-key
    // indexes instead of on a random page each, which kept an upload's commits several times larger.
    id: uuidv7(),
    version: 1,
    statusChangedAt: null,
    previousStatus: null,
    previousPayoutMicros: 0,
  };
}

/** The next version: the new status, the payout sent (else the old one), the time of the change. */
function transition(before: ConversionRecord, item: PendingConversion): ConversionRecord {
  const payout = item.payoutGiven
    ? { payoutMicros: item.payoutMicros, currency: item.currency, originalPayoutMicros: item.originalPayoutMicros }
    : {};
  return {
    ...before,
    ...payout,
    status: item.status,
    version: before.version + 1,
    statusChangedAt: item.conversionTime,
    previousStatus: before.status,
    previousPayoutMicros: before.payoutMicros,
  };
}
