import { DurableObject } from "cloudflare:workers";
import { type ConversionRecord, writeConversions } from "./d1-write";
import type { PendingConversion } from "./judge";
import { chosenOffers, createLanderClicksTable, type LanderClickNote, noteLanderClick } from "./lander-clicks";

export type ShardOutcome = { status: "accepted"; conversionId: string } | { status: "duplicate" };

const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 10 * 60_000;
const FLUSH_CHUNK = 1000;
/** How long deferred D1 writes wait for more registrations before one statement writes them all. */
const DEFER_MS = 100;

/**
 * Owns the click IDs whose hash falls in its shard and decides, one batch at a time, which
 * conversions are new. Its SQLite is the source of truth for "already registered": the decision
 * and an outbox row commit in one transaction, the D1 write follows (idempotent on the id and the
 * dedupe key), the outbox row goes once D1 confirms, and an alarm retries whatever is left.
 * With deferD1Write the answer does not wait for D1: records queue in memory for DEFER_MS and
 * the registrations of that window go to D1 together (one statement per 500 rows); the outbox
 * and the alarm still cover an object that dies before that write.
 */
export class IngestShard extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private alarmPending = false;
  private failures = 0;
  private deferred: ConversionRecord[] = [];

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS decisions (dedupe_key TEXT PRIMARY KEY, conversion_id TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, record TEXT NOT NULL);`);
    createLanderClicksTable(this.sql);
    ctx.blockConcurrencyWhile(async () => {
      this.alarmPending = (await ctx.storage.getAlarm()) !== null;
      // Leftovers from an instance evicted before it could arm the alarm.
      if (!this.alarmPending && this.outboxSize() > 0) this.armAlarm(0);
    });
  }

  /** Registers a batch; one outcome per item, in order. Items repeating a key in the batch are duplicates. */
  async register(batch: PendingConversion[], deferD1Write = false): Promise<ShardOutcome[]> {
    const fresh: ConversionRecord[] = [];
    // Three statements per batch, not per item: one lookup of every key, then the new decisions
    // and their outbox rows inserted in bulk, all in one transaction.
    const outcomes = this.ctx.storage.transactionSync(() => {
      const taken = this.registered(batch.map((item) => item.dedupeKey));
      const result = batch.map((item): ShardOutcome => {
        if (taken.has(item.dedupeKey)) return { status: "duplicate" };
        taken.add(item.dedupeKey); // a repeat later in this batch is a duplicate too
        const record: ConversionRecord = { id: crypto.randomUUID(), ...item };
        fresh.push(record);
        return { status: "accepted", conversionId: record.id };
      });
      if (fresh.length > 0) {
        const json = JSON.stringify(fresh);
        this.sql.exec(
          "INSERT INTO decisions (dedupe_key, conversion_id) SELECT value ->> '$.dedupeKey', value ->> '$.id' FROM json_each(?)",
          json,
        );
        this.sql.exec("INSERT INTO outbox (id, record) SELECT value ->> '$.id', value FROM json_each(?)", json);
      }
      return result;
    });
    if (fresh.length === 0) return outcomes;
    // Armed before the first await, so it commits with the outbox rows; should an instance ever
    // die in between, the constructor re-arms it on the next wake-up.
    if (!this.alarmPending) this.armAlarm(RETRY_BASE_MS);
    if (deferD1Write) {
      // A key D1 already holds under another id (this shard's memory of it was lost) cannot be
      // reported as a duplicate any more: the answer says accepted, D1 keeps its one row.
      if (this.deferred.length === 0) setTimeout(() => void this.flushDeferred(), DEFER_MS);
      this.deferred.push(...fresh);
      return outcomes;
    }
    try {
      const lost = await this.flush(fresh);
      // D1 already held these keys under another id (this shard's memory of them was lost):
      // duplicates after all.
      for (let i = 0; i < outcomes.length; i++) {
        const o = outcomes[i]!;
        if (o.status === "accepted" && lost.has(o.conversionId)) outcomes[i] = { status: "duplicate" };
      }
    } catch (err) {
      // Decided and queued: the alarm writes it to D1 later, so the answer stays "accepted".
      console.warn("ingest shard: D1 write failed, retrying from the alarm", String(err));
    }
    return outcomes;
  }

  /** Writes the queued records of deferred registrations; on failure the alarm retries them. */
  private async flushDeferred(): Promise<void> {
    const records = this.deferred;
    this.deferred = [];
    try {
      const lost = await this.flush(records);
      if (lost.size > 0) console.warn("ingest shard: D1 already held these keys under other ids", [...lost].join(","));
    } catch (err) {
      console.warn("ingest shard: deferred D1 write failed, retrying from the alarm", String(err));
    }
  }

  /** GET /click sent this click ID's visitor from its lander to an offer (see lander-clicks.ts). */
  noteLanderClick(click: LanderClickNote): void {
    noteLanderClick(this.sql, click);
  }

  /** The offer each click ID was last sent to from its lander; 0 where none is known. */
  chosenOffers(clickIds: string[]): number[] {
    return chosenOffers(this.sql, clickIds);
  }

  /** Dry run: which keys are already registered, without deciding anything. */
  known(keys: string[]): boolean[] {
    const taken = this.registered(keys);
    return keys.map((key) => taken.has(key));
  }

  /** The subset of `keys` already registered in this shard, in one statement. */
  private registered(keys: string[]): Set<string> {
    const rows = this.sql
      .exec<{ dedupe_key: string }>(
        "SELECT dedupe_key FROM decisions WHERE dedupe_key IN (SELECT value FROM json_each(?))",
        JSON.stringify(keys),
      )
      .toArray();
    return new Set(rows.map((r) => r.dedupe_key));
  }

  async alarm(): Promise<void> {
    this.alarmPending = false;
    try {
      for (;;) {
        const rows = this.sql.exec<{ record: string }>("SELECT record FROM outbox LIMIT ?", FLUSH_CHUNK).toArray();
        if (rows.length === 0) break;
        await this.flush(rows.map((r) => JSON.parse(r.record) as ConversionRecord));
      }
      this.failures = 0;
    } catch (err) {
      this.failures++;
      console.warn("ingest shard: outbox retry failed", String(err));
      this.armAlarm(Math.min(RETRY_BASE_MS * 2 ** this.failures, RETRY_MAX_MS));
    }
  }

  /** Number of conversions decided but not yet confirmed by D1. */
  outboxSize(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n;
  }

  private armAlarm(delayMs: number): void {
    this.alarmPending = true;
    void this.ctx.storage.setAlarm(Date.now() + delayMs);
  }

  /** Writes records to D1, drops their outbox rows, returns the ids D1 refused as duplicates of another id. */
  private async flush(records: ConversionRecord[]): Promise<Set<string>> {
    const inserted = await writeConversions(this.env.DB, records);
    const missing = records.filter((r) => !inserted.has(r.id));
    const lost = new Set<string>();
    if (missing.length > 0) {
      // Not inserted: either an earlier attempt already wrote this very id, or D1 holds the key under another id.
      const present = await this.env.DB.prepare(
        "SELECT id FROM conversions WHERE id IN (SELECT value FROM json_each(?1))",
      )
        .bind(JSON.stringify(missing.map((r) => r.id)))
        .all<{ id: string }>();
      const ids = new Set(present.results.map((r) => r.id));
      for (const r of missing) if (!ids.has(r.id)) lost.add(r.id);
    }
    this.sql.exec(
      "DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))",
      JSON.stringify(records.map((r) => r.id)),
    );
    return lost;
  }
}
