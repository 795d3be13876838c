import { describe, expect, it } from "vitest";
import { ADMIN, call, setupCampaign } from "../helpers";
import { text } from "./arbitraries";
import { alike, bodyOf, expectHandled, fc, fuzzParams, fuzzTimeout } from "./harness";

const RUNS = 50;

const day = fc.oneof(
  {
    arbitrary: fc
      .date({ min: new Date("2025-06-01"), max: new Date("2027-06-01"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    weight: 4,
  },
  {
    arbitrary: fc.oneof(
      fc
        .date({ min: new Date("0001-01-01"), max: new Date("9999-12-31"), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      fc.constantFrom("2026-02-29", "2024-02-29", "2026-13-01", "2026-1-1", "20260101", "today", ""),
    ),
    weight: 1,
  },
);
const value = {
  from: day,
  to: day,
  tz: fc.constantFrom("UTC", "Europe/Warsaw", "Asia/Kathmandu", "Etc/GMT+12", "utc", "Mars/Olympus", "+02:00"),
  campaignId: fc.oneof(
    fc.integer({ min: -2, max: 5 }).map(String),
    fc.constantFrom("1.5", "1e3", "4294967296", "0x1", ""),
  ),
  groupBy: fc.constantFrom("campaign", "offer", "day", "country", "conversionType", "hour", "var1", "CAMPAIGN", ""),
  limit: fc.oneof(fc.integer({ min: -1, max: 1001 }).map(String), fc.constantFrom("1.5", "abc", "")),
  cursor: fc.oneof(fc.base64String({ maxLength: 40 }), text),
  format: fc.constantFrom("json", "csv", "xml", ""),
  orderBy: fc.constantFrom("visits", "revenue", "nope"),
  status: fc.constantFrom("accepted", "duplicate", "rejected", "refused", "error", "ACCEPTED", "nope", ""),
  // The postback log's cursor is a row id, not the conversions list's opaque token.
  logCursor: fc.oneof(fc.integer({ min: -1, max: 10 ** 16 }).map(String), fc.constantFrom("1.5", "", "abc")),
};

/** A query string: a few known parameters (some repeated), sometimes junk names, raw or encoded. */
function queryString(names: (keyof typeof value)[]) {
  const pair = fc.oneof(
    {
      arbitrary: fc
        .constantFrom(...names)
        .chain((n) => value[n].map((v) => [n === "logCursor" ? "cursor" : n, v] as const)),
      weight: 5,
    },
    { arbitrary: fc.tuple(text, text), weight: 1 },
  );
  return fc.array(pair, { maxLength: 6 }).map((pairs) => {
    const q = new URLSearchParams();
    for (const [k, v] of pairs) q.append(k, v);
    return q.toString();
  });
}

async function get(path: string) {
  const res = await call(path, { headers: ADMIN });
  // Each answer has its own request id; the rest must repeat.
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: alike(await bodyOf(res)) };
}

describe("fuzzing the report, conversions and postback-log query strings", () => {
  for (const [path, names] of [
    ["/api/report", ["from", "to", "tz", "campaignId", "groupBy", "orderBy"]],
    ["/api/conversions", ["from", "to", "tz", "campaignId", "limit", "cursor", "format"]],
    ["/api/postbacks", ["limit", "logCursor", "status"]],
  ] as const) {
    it(
      `GET ${path}: 200 or a 400 naming the parameter, and the same answer twice`,
      async () => {
        await setupCampaign();
        await fc.assert(
          fc.asyncProperty(queryString([...names]), async (qs) => {
            const first = await get(`${path}?${qs}`);
            expectHandled(first.status, first.body, qs);
            expect([200, 400], `${qs} -> ${first.status}`).toContain(first.status);
            if (first.status === 400) {
              const json = first.body as { error: string };
              expect(json.error).toMatch(/^Invalid query: /);
            }
            // Nothing changes between the two reads, so neither does the answer.
            expect(await get(`${path}?${qs}`)).toEqual(first);
          }),
          fuzzParams(RUNS),
        );
      },
      fuzzTimeout(RUNS),
    );
  }
});
