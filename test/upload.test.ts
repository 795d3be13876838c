import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, api, call, click, created, setupCampaign } from "./helpers";

/** POST /api/conversions/upload with a text/plain body. */
function upload(body: BodyInit, query = ""): Promise<Response> {
  return call(`/api/conversions/upload${query}`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "text/plain" },
    body,
  });
}

/** Conversions registered for these click IDs (storage is shared by the tests of a file). */
const conversionCount = (ids: string[]) =>
  env.DB.prepare(`SELECT count(*) AS n FROM conversions WHERE click_id IN (${ids.map(() => "?").join(",")})`)
    .bind(...ids)
    .first<{ n: number }>()
    .then((r) => r!.n);

async function clicks(n: number) {
  const { campaign } = await setupCampaign({ payout: { mode: "manual", amount: 3 } });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await click(campaign.id)).clickId);
  return { campaign, ids };
}

describe("POST /api/conversions/upload: line format", () => {
  it("tolerates a BOM, CRLF, blank lines, whitespace and left-off fields; numbers lines as the user sees them", async () => {
    const { campaign, ids } = await clicks(4);
    await created(api("POST", "/conversion-types", { name: "app_install", includeInConversions: false }));
    const text = [
      `\uFEFF${ids[0]}`, // 1: click ID only
      "", // 2: blank
      `   ${ids[1]} , -50 , , app_install `, // 3: empty middle field keeps its comma
      "\t", // 4: whitespace only
      `${ids[2]},1.5,tx-1,,2011-12-03T10:15:30+01:00`, // 5: every field
      `${ids[3]},,tx-9`, // 6: trailing fields left off
    ].join("\r\n");
    const res = await upload(text + "\r\n");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      summary: { total: 4, accepted: 4, updated: 0, duplicate: 0, rejected: 0 },
      lines: [],
    });
    const rows = await env.DB.prepare(
      "SELECT click_id, payout_micros, txid, type_id, conversion_time FROM conversions WHERE campaign_id = ?",
    )
      .bind(campaign.id)
      .all<any>();
    const byClick = new Map(rows.results.map((r) => [r.click_id, r]));
    expect(byClick.get(ids[1]!)).toMatchObject({ payout_micros: -50_000_000, txid: null, type_id: expect.any(Number) });
    expect(byClick.get(ids[2]!)).toMatchObject({
      payout_micros: 1_500_000,
      txid: "tx-1",
      conversion_time: Date.UTC(2011, 11, 3, 9, 15, 30),
    });
    expect(byClick.get(ids[3]!)).toMatchObject({ payout_micros: 3_000_000, txid: "tx-9", type_id: null });
  });

  it("judges each line alone: one bad line never blocks the others, each reason names its field", async () => {
    const { ids } = await clicks(2);
    const forged = ids[0]!.slice(0, 31) + (ids[0]!.endsWith("A") ? "B" : "A");
    const text = [
      `${ids[0]},12.5`, // 1 accepted
      `${ids[0]},12.5`, // 2 same conversion again
      `${ids[1]},abc`, // 3 bad payout
      `${ids[1]},,,no_such_type`, // 4 unknown type
      `${ids[1]},,,,yesterday`, // 5 bad time
      `${forged}`, // 6 tag does not verify
      `,5`, // 7 no click ID
      `${ids[1]},1,t,,2011-12-03T10:15Z,approved,USD,extra`, // 8 eight fields
      `${ids[1]},,${"x".repeat(129)}`, // 9 txid too long
      `${ids[1]},-0.25,upsell-1`, // 10 accepted
    ].join("\n");
    const body = await (await upload(text)).json<any>();
    expect(body.summary).toEqual({ total: 10, accepted: 2, updated: 0, duplicate: 1, rejected: 7 });
    expect(body.lines.map((l: any) => [l.line, l.status])).toEqual([
      [2, "duplicate"],
      [3, "rejected"],
      [4, "rejected"],
      [5, "rejected"],
      [6, "rejected"],
      [7, "rejected"],
      [8, "rejected"],
      [9, "rejected"],
    ]);
    const error = (line: number) => body.lines.find((l: any) => l.line === line).error as string;
    expect(error(3)).toMatch(/^payout: /);
    expect(error(4)).toMatch(/^conversion type: .*no_such_type/);
    expect(error(5)).toMatch(/^conversion time: /);
    expect(error(6)).toMatch(/^click ID: /);
    expect(error(7)).toMatch(/^click ID: missing/);
    expect(error(8)).toMatch(/too many fields/);
    expect(error(9)).toMatch(/^transaction ID: /);
    expect(body.lines.find((l: any) => l.line === 3).clickId).toBe(ids[1]);
    expect(await conversionCount(ids)).toBe(2);
  });

  it("stores odd transaction ids character for character, over several SQL statements", async () => {
    const { ids } = await clicks(3);
    // Quotes, SQL, backslashes, non-Latin text and emoji: written as SQL literals (lib/sql-values.ts),
    // 180 rows of 60 characters, most of them 4 bytes, are more than one statement holds.
    const odd = (i: number) =>
      [...`${i}' OR '1'='1"; DROP TABLE conversions; -- \\ ü 日本 ${"🎉".repeat(40)}`].slice(0, 60).join("");
    const lines = ids.flatMap((id, c) => Array.from({ length: 60 }, (_, t) => `${id},0.01,${odd(c * 60 + t)}`));
    const res = await upload(lines.join("\n"));
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { lines: unknown[]; summary: Record<string, number> };
    expect(answer.lines).toEqual([]);
    expect(answer.summary).toMatchObject({ total: 180, accepted: 180, rejected: 0 });
    const rows = await env.DB.prepare(
      `SELECT c.txid, (SELECT count(*) FROM conversion_events e WHERE e.conversion_id = c.id) AS events
       FROM conversions c WHERE c.click_id IN (?, ?, ?)`,
    )
      .bind(...ids)
      .all<{ txid: string; events: number }>();
    const expected = Array.from({ length: 180 }, (_, i) => odd(i)).sort();
    expect(rows.results.map((r) => r.txid).sort()).toEqual(expected);
    expect(rows.results.every((r) => r.events === 1)).toBe(true);
  });

  it("an empty body or only blank lines registers nothing and says so", async () => {
    for (const text of ["", "\r\n\r\n  \n"]) {
      expect(await (await upload(text)).json()).toEqual({
        summary: { total: 0, accepted: 0, updated: 0, duplicate: 0, rejected: 0 },
        lines: [],
      });
    }
  });

  it("needs the admin token and a text body", async () => {
    const noAuth = await call("/api/conversions/upload", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    expect(noAuth.status).toBe(401);
    const json = await call("/api/conversions/upload", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: '"x"',
    });
    expect(json.status).toBe(400);
    expect((await json.json<any>()).error).toMatch(/text\/plain/);
  });
});

describe("POST /api/conversions/upload: dry run and repeats", () => {
  it("a dry run registers nothing and lists only the lines that would be rejected", async () => {
    const { ids } = await clicks(2);
    const text = `${ids[0]},1\n${ids[0]},1\n${ids[1]},nope\n`;
    const dry = await (await upload(text, "?dryRun=1")).json<any>();
    expect(dry.summary).toEqual({ total: 3, accepted: 1, updated: 0, duplicate: 1, rejected: 1 });
    expect(dry.lines).toEqual([
      { line: 3, clickId: ids[1], status: "rejected", error: expect.stringMatching(/^payout: /) },
    ]);
    expect(await conversionCount(ids)).toBe(0);

    // The real upload then does what the dry run predicted.
    const real = await (await upload(text)).json<any>();
    expect(real.summary).toEqual(dry.summary);
    expect(await conversionCount(ids)).toBe(1);
  });

  it("uploading the same text twice registers nothing the second time", async () => {
    const { ids } = await clicks(3);
    const text = ids.map((id, i) => `${id},${i + 1},order-${i}`).join("\n");
    const first = await (await upload(text)).json<any>();
    expect(first.summary).toEqual({ total: 3, accepted: 3, updated: 0, duplicate: 0, rejected: 0 });
    const second = await (await upload(text)).json<any>();
    expect(second.summary).toEqual({ total: 3, accepted: 0, updated: 0, duplicate: 3, rejected: 0 });
    expect(second.lines.map((l: any) => [l.line, l.clickId, l.status])).toEqual(
      ids.map((id, i) => [i + 1, id, "duplicate"]),
    );
    expect(await conversionCount(ids)).toBe(3);
    // A dry run now sees them as duplicates too.
    expect((await (await upload(text, "?dryRun=1")).json<any>()).summary).toMatchObject({
      accepted: 0,
      updated: 0,
      duplicate: 3,
    });
  });
});
