import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BENCH_SQL_MARK, countD1Statements, d1Counts, resetD1Counts, statementKind } from "../bench/worker/d1-counter";
import bench from "../bench/worker/entry";
import { offers } from "../src/db/schema";
import { getDb } from "../src/lib/db";
import { ADMIN, BASE, call, createOffer, eventually, setupCampaign } from "./helpers";

/** One request to the bench's own worker entry (bench/worker/entry.ts), its waitUntil work done. */
async function benchCall(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const request = new Request(BASE + path, { redirect: "manual", ...init }) as Parameters<typeof bench.fetch>[0];
  const res = await bench.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("bench worker", () => {
  it("is not part of the production worker: /__bench/* is an unknown path there", async () => {
    for (const [method, path] of [
      ["GET", "/__bench/stats"],
      ["POST", "/__bench/reset"],
    ] as const) {
      const res = await call(path, { method, headers: ADMIN });
      expect(res.status, path).toBe(404);
    }
  });

  it("serves the app and counts what a click writes, without counting its own row counts", async () => {
    const { campaign } = await setupCampaign();
    expect((await benchCall("/__bench/reset", { method: "POST" })).status).toBe(200);
    const before = await (await benchCall("/__bench/stats")).json<{ rows: { visits: number } }>();
    const res = await benchCall(`/c/${campaign.id}?var1=x`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^https:\/\/offer\.example\/lp\?cid=/);
    // The visit reaches raw_visits through the visit queue's consumer a moment later.
    const after = await eventually(
      async () =>
        (await benchCall("/__bench/stats")).json<{
          d1: { byKind: Record<string, number> };
          rows: { visits: number };
        }>(),
      (stats) => stats.rows.visits === before.rows.visits + 1,
      20_000,
    );
    expect(after.rows.visits).toBe(before.rows.visits + 1);
    // The campaign read (a cache miss in this isolate) is the click's only read; the rest is the consumer's.
    expect(after.d1.byKind["select campaigns"]).toBe(1);
  });

  it("counts every statement handed to D1: single, batched, exec and through drizzle", async () => {
    await createOffer();
    countD1Statements(env.DB);
    countD1Statements(env.DB); // instrumenting twice must not count twice
    resetD1Counts();
    await env.DB.prepare("SELECT 1").first();
    await env.DB.prepare("SELECT ?1").bind(2).all();
    await env.DB.batch([env.DB.prepare("SELECT 3"), env.DB.prepare("SELECT * FROM offers").bind()]);
    await env.DB.exec("SELECT 4");
    const rows = await getDb(env.DB).select().from(offers).all();
    expect(rows.length).toBeGreaterThan(0);
    await env.DB.prepare(`${BENCH_SQL_MARK} SELECT count(*) FROM offers`).first();
    const counts = d1Counts();
    expect({ total: counts.total, byKind: counts.byKind }).toEqual({
      total: 6,
      byKind: { "select ?": 4, "select offers": 2 },
    });
    // D1's own time, for the statements that went through a batch.
    expect(Object.keys(counts.msByKind).sort()).toEqual(["select ?", "select offers"]);
    for (const ms of Object.values(counts.msByKind)) expect(ms).toBeGreaterThanOrEqual(0);
  });

  it("names statements by verb and table", () => {
    expect(statementKind('insert into "visits" ("click_id") values (?)')).toBe("insert visits");
    expect(statementKind("INSERT INTO visits\n (a) SELECT value FROM json_each(?1)")).toBe("insert visits");
    expect(statementKind('update "campaigns" set "name" = ?')).toBe("update campaigns");
    expect(statementKind('select "id" from "offers" left join x')).toBe("select offers");
  });
});
