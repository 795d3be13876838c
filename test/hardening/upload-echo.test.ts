import { describe, expect, it } from "vitest";
import { ADMIN, call } from "../helpers";

type Report = {
  summary: { total: number; rejected: number };
  lines: { line: number; clickId: string; error: string }[];
};

const upload = (text: string) =>
  call("/api/conversions/upload", { method: "POST", headers: { ...ADMIN, "content-type": "text/plain" }, body: text });

describe("upload answers stay small for junk (issue 10 row 10)", () => {
  it("clips an echoed click ID to 64 characters and an ellipsis", async () => {
    const res = await upload(`${"A".repeat(1_000_000)}\n${"b".repeat(64)}\n${"c".repeat(65)},1`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.length).toBeLessThan(2000);
    const report = JSON.parse(text) as Report;
    expect(report.summary.rejected).toBe(3);
    expect(report.lines.map((l) => l.clickId)).toEqual([`${"A".repeat(64)}…`, "b".repeat(64), `${"c".repeat(64)}…`]);
  });

  it("answers a 16 MiB junk upload with a bounded entry per line, whatever the lines hold", async () => {
    // 100,000 junk lines of 159 characters: as many long lines as the limits allow.
    const text = Array.from({ length: 100_000 }, (_, i) => `${i}`.padEnd(159, "Z")).join("\n");
    const res = await upload(text);
    expect(res.status).toBe(200);
    const answer = await res.text();
    expect((JSON.parse(answer) as Report).summary.rejected).toBe(100_000);
    // Each entry: line number, the clipped click ID, status and a fixed reason.
    expect(answer.length / 100_000).toBeLessThan(200);
  });

  it("shows control characters in an echoed click ID as U+FFFD, so they cannot inflate the JSON", async () => {
    const res = await upload(`a\u0001\u0002b\u001b[31m`);
    const report = (await res.json()) as Report;
    expect(report.lines[0]!.clickId).toBe("a\uFFFD\uFFFDb\uFFFD[31m");
  });
});
