import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { api, created, setupCampaign } from "./helpers";
import { getJson, insertConversions } from "./report-helpers";

let ids: { campaignId: number; offerId: number };
let other: { campaignId: number; offerId: number };
let saleType: any;

beforeAll(async () => {
  const a = await setupCampaign({}, { name: "A" });
  const b = await setupCampaign({}, { name: "B" });
  ids = { campaignId: a.campaign.id, offerId: a.offer.id };
  other = { campaignId: b.campaign.id, offerId: b.offer.id };
  saleType = await created(api("POST", "/conversion-types", { name: "sale", includeInConversions: true }));
});

const COLUMNS = [
  "id",
  "clickId",
  "campaignId",
  "offerId",
  "type",
  "txid",
  "payout",
  "conversionTime",
  "receivedAt",
  "source",
  "status",
  "statusChangedAt",
  "currency",
  "originalPayout",
  "extra",
];

describe("GET /api/conversions", () => {
  it("lists a day's conversions newest first with the documented fields, times in the requested zone", async () => {
    const [first, second] = await insertConversions([
      {
        ...ids,
        at: "2026-05-01T08:00:00Z",
        payoutMicros: 1_250_000,
        txid: "t-1",
        receivedAt: Date.parse("2026-05-01T08:00:05Z"),
      },
      { ...ids, at: "2026-05-01T09:00:00Z", payoutMicros: -500_000, typeId: saleType.id, source: "upload" },
    ]);
    await insertConversions([{ ...other, at: "2026-05-01T10:00:00Z", payoutMicros: 1 }]);
    const body = await getJson(
      `/conversions?from=2026-05-01&to=2026-05-01&tz=Europe/Warsaw&campaignId=${ids.campaignId}`,
    );
    expect(body.nextCursor).toBeNull();
    expect(body.conversions).toEqual([
      expect.objectContaining({
        id: second,
        type: "sale",
        txid: null,
        payout: -0.5,
        source: "upload",
        conversionTime: "2026-05-01T11:00:00.000+02:00",
      }),
      {
        id: first,
        clickId: expect.any(String),
        campaignId: ids.campaignId,
        offerId: ids.offerId,
        type: null,
        txid: "t-1",
        payout: 1.25,
        conversionTime: "2026-05-01T10:00:00.000+02:00",
        receivedAt: "2026-05-01T10:00:05.000+02:00",
        source: "postback",
        status: "approved",
        statusChangedAt: null,
        currency: null,
        originalPayout: null,
        extra: null,
      },
    ]);
    for (const c of body.conversions) expect(Object.keys(c)).toEqual(COLUMNS);
    const all = await getJson(`/conversions?from=2026-05-01&to=2026-05-01&tz=UTC`);
    expect(all.conversions).toHaveLength(3);
  });

  it("pages with a cursor that neither skips nor repeats rows while conversions arrive", async () => {
    // 30 rows, 10 of them sharing one conversion time, so the id breaks ties.
    const day = "2026-05-02";
    const times = Array.from({ length: 30 }, (_, i) => Date.parse(`${day}T10:00:00Z`) + (i < 10 ? 0 : i * 60_000));
    const original = await insertConversions(times.map((at) => ({ ...ids, at, payoutMicros: 1_000 })));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body: any = await getJson(
        `/conversions?from=${day}&to=${day}&tz=UTC&limit=7${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...body.conversions.map((c: any) => c.id));
      cursor = body.nextCursor;
      pages++;
      // New conversions land meanwhile: newer ones, ones tied with already-read rows and older ones.
      await insertConversions([
        { ...ids, at: `${day}T23:00:00Z`, payoutMicros: 1 },
        { ...ids, at: times[10 + pages]!, payoutMicros: 1 },
        { ...ids, at: `${day}T00:00:0${pages}Z`, payoutMicros: 1 },
      ]);
    } while (cursor && pages < 50);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of original) expect(seen).toContain(id);
  });

  it("exports CSV with the JSON columns, RFC 4180 quoting and neutralized formulas", async () => {
    const day = "2026-05-13";
    const txids = ['comma, "quoted"', "line\nbreak", '=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "plain"];
    await insertConversions(
      txids.map((txid, i) => ({
        ...ids,
        at: Date.parse(`${day}T10:00:00Z`) + i * 1000,
        payoutMicros: -2_500_000,
        txid,
      })),
    );
    const json = await getJson(`/conversions?from=${day}&to=${day}&tz=Asia/Kolkata`);
    const res = await api("GET", `/conversions?from=${day}&to=${day}&tz=Asia/Kolkata&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename=".*\.csv"/);
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe(COLUMNS.join(","));
    expect(text).toContain('"comma, ""quoted"""');
    const [header, ...records] = parse(text) as string[][];
    expect(header).toEqual(COLUMNS);
    const neutral = (v: string) => (/^[=+\-@]/.test(v) ? `'${v}` : v);
    expect(records).toEqual(
      json.conversions.map((c: any) =>
        COLUMNS.map((k) => (c[k] === null ? "" : k === "txid" ? neutral(c[k]) : String(c[k]))),
      ),
    );
    expect(records.map((r) => r[6])).toEqual(Array(txids.length).fill("-2.5")); // numbers stay numbers
  });

  it("streams every row of the range as CSV, across internal pages, or one page with limit", async () => {
    const day = "2026-05-04";
    await insertConversions(
      Array.from({ length: 1005 }, (_, i) => ({
        ...other,
        at: Date.parse(`${day}T00:00:00Z`) + i,
        payoutMicros: 10_000,
      })),
    );
    const whole = await (await api("GET", `/conversions?from=${day}&to=${day}&format=csv`)).text();
    const records = parse(whole, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(1005);
    expect(new Set(records.map((r) => r.id)).size).toBe(1005);
    const page = await api("GET", `/conversions?from=${day}&to=${day}&format=csv&limit=1000`);
    expect(parse(await page.text())).toHaveLength(1001);
    const next = page.headers.get("x-next-cursor")!;
    const rest = await getJson(`/conversions?from=${day}&to=${day}&cursor=${next}`);
    expect(rest.conversions).toHaveLength(5);
  });
});
