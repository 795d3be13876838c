import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countingD1, d1Counts, resetD1Counts, statementKind, uncountedD1 } from "../src/bench/d1-counter";
import { withCountedD1 } from "../src/bench/mode";
import { getDb } from "../src/lib/db";
import { createOffer, call, ADMIN } from "./helpers";
import { offers } from "../src/db/schema";

describe("bench instrumentation", () => {
  it("does not exist unless the worker runs with BENCH_COUNT_D1=1", async () => {
    for (const path of ["/__bench/stats", "/__bench/reset"]) {
      const res = await call(path, { method: path.endsWith("reset") ? "POST" : "GET", headers: ADMIN });
      expect(res.status, path).toBe(404);
    }
    expect(withCountedD1(env)).toBe(env);
  });

  it("counts every statement handed to D1: single, batched and through drizzle", async () => {
    await createOffer();
    const d1 = countingD1(env.DB);
    expect(countingD1(env.DB)).toBe(d1);
    expect(uncountedD1(d1)).toBe(env.DB);
    resetD1Counts();
    await d1.prepare("SELECT 1").first();
    await d1.prepare("SELECT ?1").bind(2).all();
    await d1.batch([d1.prepare("SELECT 3"), d1.prepare("SELECT * FROM offers").bind()]);
    const rows = await getDb(d1).select().from(offers).all();
    expect(rows.length).toBeGreaterThan(0);
    expect(d1Counts()).toEqual({ total: 5, byKind: { "select ?": 3, "select offers": 2 } });
  });

  it("names statements by verb and table", () => {
    expect(statementKind('insert into "visits" ("click_id") values (?)')).toBe("insert visits");
    expect(statementKind("INSERT INTO visits\n (a) SELECT value FROM json_each(?1)")).toBe("insert visits");
    expect(statementKind('update "campaigns" set "name" = ?')).toBe("update campaigns");
    expect(statementKind('select "id" from "offers" left join x')).toBe("select offers");
  });
});
