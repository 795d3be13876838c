import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ingest } from "../src/ingest";
import type { ConversionRequest } from "../src/ingest/types";
import { mintClickId } from "../src/lib/clickid";
import { api, click, created, setupCampaign } from "./helpers";

const rows = (clickId: string) =>
  env.DB.prepare("SELECT * FROM conversions WHERE click_id = ? ORDER BY received_at, id")
    .bind(clickId)
    .all<{
      id: string;
      payout_micros: number;
      txid: string | null;
      type_id: number | null;
      conversion_time: number;
      source: string;
    }>()
    .then((r) => r.results);

async function one(request: Partial<ConversionRequest> & { clickId: string }, opts?: Parameters<typeof ingest>[2]) {
  const [result] = await ingest(env, [{ source: "postback", ...request }], opts);
  return result!;
}

describe("ingest(): docs/conversions.md rules", () => {
  it("accepts each ISO-8601 form of the spec, with and without offset (no offset = UTC)", async () => {
    const { campaign } = await setupCampaign();
    const cases: [string, number][] = [
      ["2011-12-03T10:15:30+01:00", Date.UTC(2011, 11, 3, 9, 15, 30)],
      ["2011-12-03T10:15:30.000+01:00", Date.UTC(2011, 11, 3, 9, 15, 30)],
      ["2011-12-03T10:15Z", Date.UTC(2011, 11, 3, 10, 15)],
      ["2011-12-03T10:15:30Z", Date.UTC(2011, 11, 3, 10, 15, 30)],
      ["2011-12-03T10:15:30.000Z", Date.UTC(2011, 11, 3, 10, 15, 30)],
      ["2011-12-03T10:15:30", Date.UTC(2011, 11, 3, 10, 15, 30)],
      ["2011-12-03T10:15:30.250-05:30", Date.UTC(2011, 11, 3, 15, 45, 30, 250)],
      // "+01:00" sent unencoded in a query string arrives as " 01:00".
      ["2011-12-03T10:15:30 01:00", Date.UTC(2011, 11, 3, 9, 15, 30)],
    ];
    for (const [time, expected] of cases) {
      const { clickId } = await click(campaign.id);
      const result = await one({ clickId, time });
      expect(result.status, time).toBe("accepted");
      expect((await rows(clickId))[0]!.conversion_time, time).toBe(expected);
    }
  });

  it("rejects invalid times naming the time field, and uses the receipt time when there is none", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    for (const time of [
      "yesterday",
      "2011-13-03T10:15:30Z",
      "2011-02-30T10:15Z",
      "2011-12-03T25:00Z",
      "2011-12-03T10:15:30+25:00",
      "0011-12-03T10:15Z",
      "1e9",
      "2011-12-03T10:15:30ZZ",
    ]) {
      expect(await one({ clickId, time }), time).toMatchObject({
        status: "rejected",
        field: "time",
        httpStatus: 400,
        error: expect.stringMatching(/^time: /),
      });
    }
    expect(await rows(clickId)).toHaveLength(0);
    const receivedAt = Date.UTC(2026, 0, 2, 3, 4, 5);
    expect(await one({ clickId }, { receivedAt })).toMatchObject({ status: "accepted" });
    expect((await rows(clickId))[0]!.conversion_time).toBe(receivedAt);
  });

  it("payout: manual offers override the postback and pixel; auto takes it or 0; upload's explicit payout wins", async () => {
    const manual = await setupCampaign({ payout: { mode: "manual", amount: 2.5 } });
    const auto = await setupCampaign({ payout: { mode: "auto" } });
    const cases: [number, Partial<ConversionRequest>, number][] = [
      [manual.campaign.id, { source: "postback", payout: "9.99" }, 2_500_000],
      [manual.campaign.id, { source: "pixel" }, 2_500_000],
      [manual.campaign.id, { source: "upload" }, 2_500_000],
      [manual.campaign.id, { source: "upload", payout: "-1.5" }, -1_500_000],
      [auto.campaign.id, { source: "postback", payout: "3.000001" }, 3_000_001],
      [auto.campaign.id, { source: "postback", payout: "-0.75" }, -750_000],
      [auto.campaign.id, { source: "postback" }, 0],
      [auto.campaign.id, { source: "postback", payout: "" }, 0],
      [auto.campaign.id, { source: "postback", payout: "-0" }, 0],
      [auto.campaign.id, { source: "upload", payout: "-50" }, -50_000_000],
    ];
    for (const [campaignId, request, expected] of cases) {
      const { clickId } = await click(campaignId);
      expect(await one({ clickId, ...request }), JSON.stringify(request)).toMatchObject({ status: "accepted" });
      const [row] = await rows(clickId);
      expect(row!.payout_micros, JSON.stringify(request)).toBe(expected);
      expect(Object.is(row!.payout_micros, -0)).toBe(false);
    }
  });

  it("rejects malformed payouts naming payout, even for manual offers", async () => {
    const { campaign } = await setupCampaign({ payout: { mode: "manual", amount: 1 } });
    const { clickId } = await click(campaign.id);
    for (const payout of [
      "1e309",
      "NaN",
      "Infinity",
      "-Infinity",
      "1.1234567",
      "0x10",
      "1,5",
      "abc",
      "1e3",
      "10000000001",
      "9".repeat(400),
      "１２",
    ]) {
      expect(await one({ clickId, payout }), payout).toMatchObject({
        status: "rejected",
        field: "payout",
        httpStatus: 400,
      });
    }
    expect(await rows(clickId)).toHaveLength(0);
  });

  it("uniqueness per (click ID, type, txid): upsells by txid, a custom type next to the default, repeats are duplicates", async () => {
    const { campaign } = await setupCampaign();
    const install = await created(
      api("POST", "/conversion-types", { name: "app_install", includeInConversions: false }),
    );
    const { clickId } = await click(campaign.id);
    const results = await ingest(env, [
      { source: "postback", clickId },
      { source: "postback", clickId },
      { source: "postback", clickId, txid: "order-1" },
      { source: "postback", clickId, txid: "order-2" },
      { source: "postback", clickId, txid: "order-2" },
      { source: "postback", clickId, type: "app_install" },
      { source: "postback", clickId, type: "app_install", txid: "order-1" },
      { source: "upload", clickId, type: "app_install" },
    ]);
    expect(results.map((r) => r.status)).toEqual([
      "accepted",
      "duplicate",
      "accepted",
      "accepted",
      "duplicate",
      "accepted",
      "accepted",
      "duplicate",
    ]);
    const stored = await rows(clickId);
    expect(stored).toHaveLength(5);
    expect(stored.filter((r) => r.type_id === install.id)).toHaveLength(2);
    expect(stored.map((r) => r.txid).sort()).toEqual([null, null, "order-1", "order-1", "order-2"].sort());
  });

  it("rejects unknown and archived types naming type, and txids over 128 characters naming txid", async () => {
    const { campaign } = await setupCampaign();
    const old = await created(api("POST", "/conversion-types", { name: "old_type" }));
    await api("DELETE", `/conversion-types/${old.id}`);
    const { clickId } = await click(campaign.id);
    for (const type of ["nope", "old_type", "App_Install", "x'; DROP TABLE conversions;--", "ü"]) {
      expect(await one({ clickId, type }), type).toMatchObject({ status: "rejected", field: "type", httpStatus: 400 });
    }
    expect(await one({ clickId, txid: "t".repeat(129) })).toMatchObject({ status: "rejected", field: "txid" });
    expect(await one({ clickId, txid: "ü".repeat(128) })).toMatchObject({ status: "accepted" });
  });

  it("click IDs: malformed or forged are 400; genuine but unattributable (no such campaign or offer) are 404", async () => {
    const { campaign, offer } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const forged = clickId.slice(0, -1) + (clickId.endsWith("A") ? "B" : "A");
    for (const bad of ["", "short", forged, clickId + "x", "x".repeat(5000)]) {
      expect(await one({ clickId: bad }), bad.slice(0, 40)).toMatchObject({
        status: "rejected",
        field: "clickId",
        httpStatus: 400,
      });
    }
    const otherSecret = await mintClickId("another-secret", {
      visitTime: Date.now(),
      campaignId: campaign.id,
      offerId: offer.id,
    });
    expect(await one({ clickId: otherSecret })).toMatchObject({ status: "rejected", httpStatus: 400 });
    const orphan = await mintClickId(env.CLICKID_SECRET, {
      visitTime: Date.now(),
      campaignId: 999_999,
      offerId: offer.id,
    });
    expect(await one({ clickId: orphan })).toMatchObject({ status: "rejected", field: "clickId", httpStatus: 404 });
    // The visit row is not needed: the ID carries campaign and offer.
    const unseen = await mintClickId(env.CLICKID_SECRET, {
      visitTime: Date.now(),
      campaignId: campaign.id,
      offerId: offer.id,
    });
    expect(await one({ clickId: unseen })).toMatchObject({ status: "accepted" });
    // Archiving keeps history attributable.
    await api("DELETE", `/campaigns/${campaign.id}`);
    expect(await one({ clickId })).toMatchObject({ status: "accepted" });
  });

  it("a dry run validates and reports duplicates without registering anything", async () => {
    const { campaign } = await setupCampaign();
    const { clickId: seen } = await click(campaign.id);
    const { clickId: fresh } = await click(campaign.id);
    await one({ clickId: seen });
    const results = await ingest(
      env,
      [
        { source: "upload", clickId: seen },
        { source: "upload", clickId: fresh },
        { source: "upload", clickId: fresh },
        { source: "upload", clickId: fresh, payout: "NaN" },
      ],
      { dryRun: true },
    );
    expect(results.map((r) => r.status)).toEqual(["duplicate", "accepted", "duplicate", "rejected"]);
    expect(await rows(fresh)).toHaveLength(0);
    expect(await one({ clickId: fresh })).toMatchObject({ status: "accepted" });
  });
});
