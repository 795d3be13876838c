import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, api, call, click, setupCampaign } from "../helpers";
import { text } from "./arbitraries";
import { bodyOf, expectHandled, fc, fuzzParams, fuzzTimeout } from "./harness";

const RUNS = 25;
/** How a rejected upload line may begin: the field it names (docs/conversions.md's order), or its shape. */
const NAMED_LINE =
  /^(click ID|payout|transaction ID|conversion type|conversion time|status|currency): |^too many fields/;

interface Report {
  summary: { total: number; accepted: number; updated: number; duplicate: number; rejected: number };
  lines: { line: number; clickId: string; status: string; error: string }[];
}

const upload = (textBody: string, dryRun = false) =>
  call(`/api/conversions/upload${dryRun ? "?dryRun=1" : ""}`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "text/plain" },
    body: textBody,
  });

const conversions = async () => Number(await env.DB.prepare("SELECT count(*) AS n FROM conversions").first("n"));

const clickIds: string[] = [];
beforeAll(async () => {
  const { campaign } = await setupCampaign();
  for (let i = 0; i < 4; i++) clickIds.push((await click(campaign.id)).clickId);
  await api("POST", "/conversion-types", { name: "lead" });
});

/** One line: a real or broken click ID, then up to four fields from valid to junk. */
const line = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 3 }).map((i) => clickIds[i]!), weight: 4 },
      { arbitrary: text, weight: 1 },
      { arbitrary: fc.integer({ min: 0, max: 3 }).map((i) => `${clickIds[i]!.slice(0, -1)}A`), weight: 1 },
    ),
    fc.array(
      fc.oneof(
        fc.constantFrom("", "1.5", "-50", "0", "abc", "1e3", "1.1234567", "lead", "app_install"),
        fc.constantFrom("2011-12-03T10:15:30Z", "2011-12-03T10:15", "2011-02-30T00:00:00Z", "yesterday"),
        fc.string({ maxLength: 12 }).map((s) => `tx-${s}`),
        text,
      ),
      { maxLength: 5 },
    ),
  )
  .map(([cid, fields]) => [cid, ...fields].join(","));
const pasted = fc
  .tuple(fc.array(line, { minLength: 1, maxLength: 12 }), fc.constantFrom("\n", "\r\n", "\r"), fc.boolean())
  .map(([lines, eol, bom]) => `${bom ? "\ufeff" : ""}${lines.join(eol)}`);

describe("fuzzing the upload lines", () => {
  it(
    "counts add up, rejections name their field, the dry run predicts the upload, and a second upload registers nothing",
    async () => {
      await fc.assert(
        fc.asyncProperty(pasted, async (pastedText) => {
          const dry = await upload(pastedText, true);
          const dryReport = (await bodyOf(dry)) as Report;
          expectHandled(dry.status, dryReport, pastedText);
          const before = await conversions();
          const res = await upload(pastedText);
          const report = (await bodyOf(res)) as Report;
          expectHandled(res.status, report, pastedText);
          expect(res.status).toBe(200);

          const { total, accepted, updated, duplicate, rejected } = report.summary;
          expect(accepted + updated + duplicate + rejected).toBe(total);
          expect(await conversions()).toBe(before + accepted);
          expect(dryReport.summary).toEqual(report.summary);
          for (const l of report.lines) {
            if (l.status === "rejected") expect(l.error, JSON.stringify(l)).toMatch(NAMED_LINE);
            expect(l.clickId.length).toBeLessThanOrEqual(65);
          }

          const again = (await (await upload(pastedText)).json()) as Report;
          // A status transition (docs/conversions.md) applied the first time is a duplicate the second.
          expect(again.summary).toEqual({
            total,
            accepted: 0,
            updated: 0,
            duplicate: accepted + updated + duplicate,
            rejected,
          });
          expect(await conversions()).toBe(before + accepted);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );
});
