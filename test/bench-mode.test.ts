import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BENCH_SQL_MARK, countD1Statements, d1Counts, resetD1Counts, statementKind } from "../src/bench/d1-counter";
import { offers } from "../src/db/schema";
import { getDb } from "../src/lib/db";
import { ADMIN, call, createOffer } from "./helpers";

describe("bench instrumentation", () => {
  it("does not exist unless the worker runs with BENCH_COUNT_D1=1", async () => {
    for (const [method, path] of [
      ["GET", "/__bench/stats"],
      ["POST", "/__bench/reset"],
    ] as const) {
      const res = await call(path, { method, headers: ADMIN });
      expect(res.status, path).toBe(404);
    }
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
    expect(d1Counts()).toEqual({ total: 6, byKind: { "select ?": 4, "select offers": 2 } });
  });

  it("names statements by verb and table", () => {
    expect(statementKind('insert into "visits" ("click_id") values (?)')).toBe("insert visits");
    expect(statementKind("INSERT INTO visits\n (a) SELECT value FROM json_each(?1)")).toBe("insert visits");
    expect(statementKind('update "campaigns" set "name" = ?')).toBe("update campaigns");
    expect(statementKind('select "id" from "offers" left join x')).toBe("select offers");
  });
});
