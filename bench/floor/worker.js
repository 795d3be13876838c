// The postback's floor (`npm run bench -- --only floor`): the least a postback must do in this
// design, served by the same Miniflare and workerd as the app. It reads the click ID and the
// transaction ID, asks the click ID's shard (one of 16 SQLite Durable Objects, by RPC) to decide
// in one durable statement whether the pair is new, and answers; the shard writes the new pairs
// to D1 every 500 ms in one statement. No validation, no signed click ID, no payout, no log.
import { DurableObject } from "cloudflare:workers";

const SHARDS = 16;
const DEFER_MS = 500;

function shardOf(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SHARDS;
}

export class FloorShard extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS decisions (dedupe_key TEXT PRIMARY KEY) WITHOUT ROWID");
    this.pending = [];
  }

  register(key) {
    const fresh = this.sql.exec("INSERT INTO decisions VALUES (?) ON CONFLICT DO NOTHING RETURNING 1", key).toArray();
    if (fresh.length === 0) return false;
    if (this.pending.length === 0) setTimeout(() => this.flush(), DEFER_MS);
    this.pending.push(key);
    return true;
  }

  async flush() {
    const keys = this.pending;
    this.pending = [];
    await this.env.DB.prepare("INSERT INTO floor_conversions (dedupe_key) SELECT value FROM json_each(?1)")
      .bind(JSON.stringify(keys))
      .run();
  }
}

export default {
  async fetch(request, env) {
    const query = new URL(request.url).searchParams;
    const cid = query.get("cid");
    if (!cid) return Response.json({ error: "cid is required" }, { status: 400 });
    const stub = env.SHARDS.getByName(`shard-${shardOf(cid)}`);
    const accepted = await stub.register(`${cid}|${query.get("txid") ?? ""}`);
    return Response.json({ status: accepted ? "accepted" : "duplicate" });
  },
};
