import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { USER_AGENT } from "../src/delivery/call";
import { writeConversions } from "../src/ingest/d1-write";
import { api, created, eventually } from "./helpers";
import { conversionRecord } from "./report-helpers";
import {
  clickAndStore,
  convert,
  listDeliveries,
  sourcedCampaign,
  standIn,
  waitForDelivery,
} from "./source-postback-helpers";

// Every token docs/conversions.md lists, each in a parameter named after it.
const ALL_TOKENS =
  "?ext={externalid}&payout={payout}&txid={txid}&et={et}&status={status}&cid={clickid}&camp={campaign.id}" +
  "&offer={offer.id}&ts={trafficsource.id}&v1={var1}&v2={var2}&v10={var10}&cc={country.code}&keep={unknown}";

const query = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe("postbacks to traffic sources, end to end over the local queue", () => {
  it("reaches the network once, after a 500 first, with every token filled and encoded", {
    timeout: 60_000,
  }, async () => {
    const network = standIn();
    await network.script([{ status: 500 }]);
    const { source, offer, campaign } = await sourcedCampaign({ postbackUrl: network.url(`/pb${ALL_TOKENS}`) });
    const clickId = await clickAndStore(campaign.id, "?clickid=ext%201%26x%3D%7Bpayout%7D&zone=z7&var2=two", {
      cf: { country: "DE" },
    } as RequestInit);
    const { conversionId } = await convert(clickId, { payout: "1.5", txid: "t-1" });

    const delivery = await waitForDelivery(conversionId!, (d) => d.status === "delivered");
    const calls = await network.calls();
    expect(calls.map((c) => c.status)).toEqual([500, 200]);
    expect(calls[0]!.url).toBe(calls[1]!.url);
    expect(calls.every((c) => c.userAgent === USER_AGENT)).toBe(true);
    expect(USER_AGENT).toMatch(/^clicktrail\/\d+\.\d+\.\d+ \(\+source postback\)$/);
    expect(query(delivery.url!)).toEqual({
      ext: "ext 1&x={payout}", // the network's own click ID, encoded and never expanded again
      payout: "1.5",
      txid: "t-1",
      et: "",
      status: "approved",
      cid: clickId,
      camp: String(campaign.id),
      offer: String(offer.id),
      ts: String(source.id),
      v1: "z7", // the source's "zone" parameter fills var1
      v2: "two",
      v10: "",
      cc: "DE",
      keep: "{unknown}",
    });
    expect(delivery).toMatchObject({
      id: `${conversionId}:approved`,
      conversionStatus: "approved",
      trafficSourceId: source.id,
      attempts: 2,
      lastHttpStatus: 200,
      lastError: null,
    });

    // The network repeats its postback: a duplicate conversion, no second delivery, no second call.
    expect(await convert(clickId, { payout: "1.5", txid: "t-1" })).toEqual({ status: "duplicate" });
    // Only a pending delivery is ever called: one row, delivered, means no later call can come.
    const mine = (await listDeliveries("?limit=500")).deliveries.filter((d) => d.conversionId === conversionId);
    expect(mine.map((d) => d.status)).toEqual(["delivered"]);
    expect((await network.calls()).filter((c) => c.status === 200)).toHaveLength(1);
  });

  it("marks a 404 failed after one call, without retrying", { timeout: 30_000 }, async () => {
    const network = standIn();
    await network.script([{ status: 404 }]);
    const { campaign } = await sourcedCampaign({ postbackUrl: network.url("/pb?c={externalid}") });
    const clickId = await clickAndStore(campaign.id, "?clickid=abc");
    const { conversionId } = await convert(clickId);
    const d = await waitForDelivery(conversionId!, (x) => x.status === "failed");
    expect(d).toMatchObject({ attempts: 1, lastHttpStatus: 404, lastError: "HTTP 404" });
    expect(await network.calls()).toHaveLength(1);
  });

  it("writes one delivery per (conversion, status) however often the conversion's write is retried", async () => {
    const network = standIn();
    const { campaign, offer } = await sourcedCampaign({ postbackUrl: network.url("/pb?c={clickid}") });
    const clickId = await clickAndStore(campaign.id);
    const record = conversionRecord({
      clickId,
      campaignId: campaign.id,
      offerId: offer.id,
      txid: "retry",
      payoutMicros: 2_000_000,
    });
    // What the ingest shard's alarm does after an unclear D1 failure: the same write again.
    for (let i = 0; i < 3; i++) await writeConversions(env.DB, [record], env.SOURCE_POSTBACKS);
    const d = await waitForDelivery(record.id, (x) => x.status === "delivered");
    expect(d.id).toBe(`${record.id}:approved`);
    // Only a pending delivery is ever called: one row, delivered, means no later call can come.
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM source_postbacks WHERE conversion_id = ?1")
      .bind(record.id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(1);
    expect(await network.calls()).toHaveLength(1);
  });

  it("sends one more delivery for each status change it is set for, each once, with {status} and the payout of that change", {
    timeout: 30_000,
  }, async () => {
    const network = standIn();
    const { campaign } = await sourcedCampaign({
      postbackUrl: network.url("/pb?s={status}&p={payout}"),
      postbackStatuses: ["pending", "approved", "rejected"],
    });
    const clickId = await clickAndStore(campaign.id);
    const { conversionId } = await convert(clickId, { txid: "o-1", payout: "4", status: "pending" });
    await waitForDelivery(conversionId!, (d) => d.conversionStatus === "pending" && d.status === "delivered");
    expect(await convert(clickId, { txid: "o-1", payout: "5", status: "approved" })).toMatchObject({
      status: "updated",
    });
    expect(await convert(clickId, { txid: "o-1", payout: "5", status: "approved" })).toEqual({ status: "duplicate" });
    const approved = await waitForDelivery(
      conversionId!,
      (d) => d.conversionStatus === "approved" && d.status === "delivered",
    );
    expect(approved.id).toBe(`${conversionId}:approved`);
    expect(await convert(clickId, { txid: "o-1", status: "rejected" })).toMatchObject({ status: "updated" });
    await waitForDelivery(conversionId!, (d) => d.conversionStatus === "rejected" && d.status === "delivered");
    // Only a pending delivery is ever called: all three delivered, no later call can come.
    const mine = (await listDeliveries("?limit=500")).deliveries.filter((d) => d.conversionId === conversionId);
    expect(mine.map((d) => d.status)).toEqual(["delivered", "delivered", "delivered"]);
    expect((await network.calls()).map((c) => new URL(c.url, "http://x").search)).toEqual([
      "?s=pending&p=4",
      "?s=approved&p=5",
      "?s=rejected&p=5",
    ]);
  });

  it("sends what postbackFor allows: counted types by default, every type with 'all', nothing without a URL", async () => {
    const counted = await created(api("POST", "/conversion-types", { name: "sale2", includeInConversions: true }));
    await created(api("POST", "/conversion-types", { name: "view", includeInConversions: false }));
    const byDefault = await sourcedCampaign({ postbackUrl: standIn().url("/pb?et={et}") });
    const all = await sourcedCampaign({ postbackUrl: standIn().url("/pb?et={et}"), postbackFor: "all" });
    const none = await sourcedCampaign({});
    const sent = async (campaignId: number, et?: string) => {
      const clickId = await clickAndStore(campaignId);
      const { conversionId } = await convert(clickId, et ? { et } : {});
      const rows = await env.DB.prepare("SELECT type_name FROM source_postbacks WHERE conversion_id = ?1")
        .bind(conversionId!)
        .all<{ type_name: string | null }>();
      return rows.results.length;
    };
    expect(await sent(byDefault.campaign.id)).toBe(1);
    expect(await sent(byDefault.campaign.id, counted.name)).toBe(1);
    expect(await sent(byDefault.campaign.id, "view")).toBe(0);
    expect(await sent(all.campaign.id, "view")).toBe(1);
    expect(await sent(none.campaign.id)).toBe(0);
  });
});

describe("GET /api/source-postbacks and POST /api/source-postbacks/:id/retry", () => {
  it("retries only a failed delivery: 404 unknown, 409 pending or delivered, 202 and delivered after", {
    timeout: 30_000,
  }, async () => {
    const network = standIn();
    await network.script([{ status: 410 }]);
    const { campaign } = await sourcedCampaign({ postbackUrl: network.url("/pb?c={externalid}") });
    const clickId = await clickAndStore(campaign.id, "?clickid=r1");
    const { conversionId } = await convert(clickId);
    const failed = await waitForDelivery(conversionId!, (d) => d.status === "failed");

    const unknown = await api("POST", "/source-postbacks/nope:approved/retry");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "not_found" });

    const retried = await api("POST", `/source-postbacks/${encodeURIComponent(failed.id)}/retry`);
    expect(retried.status).toBe(202);
    expect(await retried.json()).toMatchObject({ id: failed.id, status: "pending", attempts: 1 });
    const delivered = await waitForDelivery(conversionId!, (d) => d.status === "delivered");
    expect(delivered).toMatchObject({ attempts: 2, lastHttpStatus: 200, lastError: null });
    expect((await network.calls()).map((c) => c.status)).toEqual([410, 200]);

    const again = await api("POST", `/source-postbacks/${encodeURIComponent(failed.id)}/retry`);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "conflict", error: expect.stringContaining("delivered") });
  });

  it("filters by status and pages with nextCursor; a bad status is a 400 naming it", async () => {
    const { campaign } = await sourcedCampaign({ postbackUrl: standIn().url("/pb?c={clickid}") });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await convert(await clickAndStore(campaign.id)))!.conversionId!);
    await eventually(
      () => listDeliveries("?status=delivered&limit=500"),
      (page) => ids.every((id) => page.deliveries.some((d) => d.conversionId === id)),
    );
    const seen: { id: string; conversionId: string }[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page = await listDeliveries(`?status=delivered&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.deliveries.length).toBeLessThanOrEqual(2);
      expect(page.deliveries.every((d) => d.status === "delivered")).toBe(true);
      seen.push(...page.deliveries);
      cursor = page.nextCursor;
    }
    // Newest first, each delivery once.
    expect(seen.map((d) => d.conversionId).filter((id) => ids.includes(id))).toEqual([...ids].reverse());
    expect(new Set(seen.map((d) => d.id)).size).toBe(seen.length);
    expect((await listDeliveries("?status=failed")).deliveries.some((d) => ids.includes(d.conversionId))).toBe(false);

    const bad = await api("GET", "/source-postbacks?status=lost&limit=0&cursor=x");
    expect(bad.status).toBe(400);
    const body = await bad.json<{ code: string; issues: { path: string }[] }>();
    expect(body.code).toBe("invalid_parameter");
    expect(body.issues.map((i) => i.path).sort()).toEqual(["cursor", "limit", "status"]);
  });
});
