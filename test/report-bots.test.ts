import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregateAttributes } from "../src/visits/aggregate";
import { api } from "./helpers";
import { adminPage, sessionCookie } from "./page-helpers";
import { insertConversions, report, visitRecord, writeVisits } from "./report-helpers";

/**
 * Campaign 61, today: 5 visits of which 2 bots (one from Poland), 0.10 each; a human converts (4.00).
 * Half of them are older than the cron's aggregation, so rollup rows and the raw tail both count.
 */
const now = Date.now();
const today = new Date(now).toISOString().slice(0, 10);
let cookie = "";

beforeAll(async () => {
  cookie = await sessionCookie();
  const at = (i: number) => Math.max(Date.parse(`${today}T00:00:00Z`) + i * 1000, now - 3_600_000 + i * 1000);
  const visits = [
    { bot: true, country: "PL" },
    { bot: true, country: "US" },
    { bot: false, country: "PL" },
    { bot: false, country: "US" },
    { bot: false, country: "US" },
  ].map((v, i) =>
    visitRecord({ clickId: `bot${i}`.padEnd(32, "b"), createdAt: at(i), campaignId: 61, costMicros: 100_000, ...v }),
  );
  await writeVisits(visits.slice(0, 3));
  await aggregateAttributes(env.DB, at(3) + 300_000);
  await writeVisits(visits.slice(3));
  await insertConversions([
    { clickId: visits[2]!.clickId, campaignId: 61, offerId: 5, at: at(2) + 500, payoutMicros: 4_000_000 },
  ]);
});

const q = { from: today, to: today, campaignId: 61 };

describe("bots in reports", () => {
  it("groupBy=bot has the keys true and false", async () => {
    const r = await report({ ...q, groupBy: "bot" });
    const rows = Object.fromEntries(
      r.rows.map((x: any) => [String(x.key), [x.visits, x.cost, x.conversions, x.label]]),
    );
    expect(rows).toEqual({ true: [2, 0.2, 0, "Bot"], false: [3, 0.3, 1, "Not a bot"] });
    expect(r.rows.map((x: any) => typeof x.key)).toEqual(["boolean", "boolean"]);
  });

  it("bot=true and bot=false filter, alone and with another attribute", async () => {
    expect((await report({ ...q, bot: "true" })).totals).toMatchObject({ visits: 2, cost: 0.2, conversions: 0 });
    expect((await report({ ...q, bot: "false" })).totals).toMatchObject({ visits: 3, revenue: 4 });
    const byCountry = await report({ ...q, groupBy: "country", bot: "false" });
    expect(Object.fromEntries(byCountry.rows.map((x: any) => [x.key, x.visits]))).toEqual({ PL: 1, US: 2 });
    const raw = await report({ ...q, groupBy: "device", bot: "true", country: "PL" });
    expect(raw.engine).toBe("raw");
    expect(raw.totals.visits).toBe(1);
  });

  it("refuses an unknown parameter or a bot value other than true/false, naming it", async () => {
    const foo = await api("GET", `/report?from=${today}&foo=1`);
    expect(foo.status).toBe(400);
    expect(await foo.json()).toMatchObject({ code: "invalid_parameter", issues: [{ path: "foo" }] });
    const bad = await api("GET", `/report?bot=maybe`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).issues[0].path).toBe("bot");
  });

  it("the report page hides bots with one switch and says how many", async () => {
    const shown = await adminPage(`/admin/report?from=${today}&to=${today}&campaignId=61`, cookie);
    expect(shown.html).toContain("2 bot visits included");
    const hidden = await adminPage(`/admin/report?from=${today}&to=${today}&campaignId=61&bot=false`, cookie);
    expect(hidden.status).toBe(200);
    expect(hidden.html).toContain("2 bot visits hidden");
    expect(hidden.html).toMatch(/name="bot" value="false" checked/);
  });

  it("the dashboard hides bots with one switch and says how many", async () => {
    const all = await adminPage("/admin", cookie);
    expect(all.html).toContain("2 bot visits included");
    const hidden = await adminPage("/admin?hideBots=1", cookie);
    expect(hidden.html).toContain("2 bot visits hidden");
    const visits = (html: string) => /data-metric="visits".*?data-day="today" data-value="(\d+)"/s.exec(html)![1];
    expect(Number(visits(all.html)) - Number(visits(hidden.html))).toBe(2);
  });
});
