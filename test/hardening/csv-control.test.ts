import { describe, expect, it } from "vitest";
import { adminSession, api, call, createOffer, setupCampaign } from "../helpers";
import { visitRecord, writeVisits } from "../report-helpers";

// CSV files open in spreadsheets: no value may start a row or a formula of its own.

describe("CSV and control characters", () => {
  it("quotes a cell holding a bare LF or CR and guards a formula after each line break", async () => {
    const { campaign } = await setupCampaign();
    // Values stored before control characters were stripped at the click.
    const day = "2026-05-04";
    const zones = ["\n=1+1", "a\r@SUM(A1)", "ok\n-2+3", "=HYPERLINK(1)"];
    await writeVisits(
      zones.map((zone, i) =>
        visitRecord({
          clickId: `csv${i}`.padEnd(32, "0") + campaign.id,
          createdAt: Date.parse(`${day}T10:00:00Z`),
          campaignId: campaign.id,
          vars: [zone, ...Array(9).fill(null)],
        }),
      ),
    );
    const admin = await adminSession();
    const res = await admin.get(
      `/admin/report/csv?campaignId=${campaign.id}&groupBy=var1&from=${day}&to=${day}&tz=UTC`,
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    // Every physical line but the header starts with a quote or a label; none with a formula sign.
    for (const line of text.split(/\r\n|\r|\n/)) expect(line, JSON.stringify(text)).not.toMatch(/^[=+\-@]/);
    expect(text).toContain(`"\n'=1+1"`);
    expect(text).toContain(`"a\r'@SUM(A1)"`);
    expect(text).toContain(`"ok\n'-2+3"`);
    expect(text).toContain(`'=HYPERLINK(1)`);
  });

  it("click values lose their control characters; names and aliases with them are refused", async () => {
    const { campaign } = await setupCampaign();
    expect((await call(`/c/${campaign.id}?var1=%0A%3D1%2B1`)).status).toBe(302);
    for (const name of ["a\u0000b", "x\u001b[31m", "line\nbreak", "c1\u0085"]) {
      const res = await api("POST", "/offers", { name, url: "https://o.example/", payout: { mode: "auto" } });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(((await res.json()) as any).issues[0].path).toBe("name");
    }
    const offer = await createOffer();
    const renamed = await api("PATCH", `/offers/${offer.id}`, { name: "bad\u0007" });
    expect(renamed.status).toBe(400);
    const source = await api("POST", "/traffic-sources", {
      name: "N",
      variables: [{ slot: 1, param: "zone", alias: "Zone\u0000" }],
    });
    expect(source.status).toBe(400);
  });
});
