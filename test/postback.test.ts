import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mintClickId } from "../src/lib/clickid";
import { api, call, click, created, setupCampaign } from "./helpers";

const conversionRows = (clickId: string) =>
  env.DB.prepare("SELECT * FROM conversions WHERE click_id = ?")
    .bind(clickId)
    .all<Record<string, unknown>>()
    .then((r) => r.results);

async function postback(query: string, init: RequestInit = {}) {
  const res = await call(`/postback?${query}`, init);
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function form(fields: Record<string, string>, query = "") {
  return postback(query, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

describe("GET and POST /postback", () => {
  it("registers a conversion once; a retry is a duplicate", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const first = await postback(`cid=${clickId}&payout=1.25`);
    expect(first).toEqual({ status: 200, body: { status: "accepted", conversionId: expect.any(String) } });
    const again = await postback(`cid=${clickId}&payout=1.25`);
    expect(again).toEqual({ status: 200, body: { status: "duplicate" } });
    const rows = await conversionRows(clickId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: first.body.conversionId,
      payout_micros: 1_250_000,
      source: "postback",
      campaign_id: campaign.id,
    });
  });

  it("takes a form body on POST, multipart too, and the same rules apply", async () => {
    const { campaign } = await setupCampaign();
    await created(api("POST", "/conversion-types", { name: "sale" }));
    const { clickId } = await click(campaign.id);
    expect((await form({ cid: clickId, payout: "-3.5", txid: "o-1", et: "sale" })).body.status).toBe("accepted");
    expect((await form({ cid: clickId, payout: "-3.5", txid: "o-1", et: "sale" })).body.status).toBe("duplicate");
    const multipart = new FormData();
    multipart.set("cid", clickId);
    multipart.set("txid", "o-2");
    expect((await postback("", { method: "POST", body: multipart })).body.status).toBe("accepted");
    // Query string on a POST works as well.
    expect((await postback(`cid=${clickId}&txid=o-3`, { method: "POST" })).body.status).toBe("accepted");
    const rows = await conversionRows(clickId);
    expect(rows.map((r) => r.payout_micros).sort()).toEqual([-3_500_000, 0, 0]);
  });

  it("answers 400 naming the parameter for malformed values, 404 for a genuine but unattributable click ID", async () => {
    const { campaign, offer } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const cases: [string, RegExp][] = [
      ["", /^cid: /],
      ["cid=", /^cid: /],
      ["cid=abc", /^cid: /],
      [`cid=${clickId.slice(0, -2)}xx`, /^cid: /],
      [`cid=${clickId}&payout=abc`, /^payout: /],
      [`cid=${clickId}&et=unknown_type`, /^et: unknown conversion type/],
      [`cid=${clickId}&txid=${"x".repeat(129)}`, /^txid: /],
      [`cid=${clickId}&time=tomorrow`, /^time: /],
    ];
    for (const [query, error] of cases) {
      const res = await postback(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toMatch(error);
    }
    const orphan = await mintClickId(env.CLICKID_SECRET, {
      visitTime: Date.now(),
      campaignId: campaign.id,
      offerId: offer.id + 1000,
    });
    const res = await postback(`cid=${orphan}`);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatch(/^cid: /);
    expect(await conversionRows(clickId)).toHaveLength(0);
  });

  it("hostile inputs get 400, never 500, and change nothing", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const hostile = [
      `cid=${clickId}&payout=1e309`,
      `cid=${clickId}&payout=NaN`,
      `cid=${clickId}&payout=Infinity`,
      `cid=${clickId}&payout=${"9".repeat(100_000)}`,
      `cid=${clickId}&payout=1%00`,
      `cid=${clickId}&txid=${encodeURIComponent("🙂".repeat(100))}`,
      `cid=${clickId}&et=${encodeURIComponent("sale' OR 1=1 --")}`,
      `cid=${encodeURIComponent("' OR 1=1; DROP TABLE conversions; --")}`,
      `cid=${encodeURIComponent("ü".repeat(32))}`,
      `cid=${"A".repeat(200_000)}`,
      `cid=${clickId}&time=${encodeURIComponent("2011-12-03T10:15:30+99:99")}`,
      `cid=${clickId}&time=${"2".repeat(10_000)}`,
    ];
    for (const query of hostile) {
      const res = await postback(query);
      expect(res.status, query.slice(0, 80)).toBe(400);
      expect(res.body.error, query.slice(0, 80)).toEqual(expect.any(String));
    }
    expect(await conversionRows(clickId)).toHaveLength(0);
    // SQL in a free-text field is just text; -0 is plain zero.
    const sqlTxid = "'); DELETE FROM conversions; --";
    expect((await postback(`cid=${clickId}&payout=-0&txid=${encodeURIComponent(sqlTxid)}`)).body.status).toBe(
      "accepted",
    );
    const rows = await conversionRows(clickId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ txid: sqlTxid, payout_micros: 0 });
    expect((await postback(`cid=${clickId}&txid=${encodeURIComponent("ß漢字🙂")}`)).body.status).toBe("accepted");
  });
});

describe("postback protection", () => {
  it("with a secret configured: 403 when missing or wrong, accepted when right; null clears it", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    expect((await api("PATCH", "/settings", { postbackSecret: "s3cret-value" })).status).toBe(200);
    for (const query of [
      `cid=${clickId}`,
      `cid=${clickId}&secret=wrong`,
      `cid=${clickId}&secret=s3cret-valu`,
      `cid=${clickId}&secret=`,
    ]) {
      const res = await postback(query);
      expect(res.status, query).toBe(403);
      expect(res.body.error).toMatch(/secret/);
    }
    expect(await conversionRows(clickId)).toHaveLength(0);
    expect((await postback(`cid=${clickId}&secret=s3cret-value`)).body.status).toBe("accepted");
    expect((await form({ cid: clickId, txid: "2", secret: "s3cret-value" })).body.status).toBe("accepted");
    await api("PATCH", "/settings", { postbackSecret: null });
    expect((await postback(`cid=${clickId}&txid=3`)).body.status).toBe("accepted");
  });

  it("with an IP allow-list: 403 from other or unknown sources (IPv4 and IPv6), accepted from listed ranges", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    await api("PATCH", "/settings", { postbackAllowedIps: ["203.0.113.0/24", "2001:db8::/32"] });
    const from = (ip: string | null, txid: string) =>
      postback(`cid=${clickId}&txid=${txid}`, { headers: ip ? { "CF-Connecting-IP": ip } : {} });
    for (const ip of [null, "198.51.100.7", "203.0.114.1", "2001:db9::1", "not-an-ip"]) {
      const res = await from(ip, "x");
      expect(res.status, String(ip)).toBe(403);
      expect(res.body.error).toMatch(/allow-list/);
    }
    expect((await from("203.0.113.77", "a")).body.status).toBe("accepted");
    expect((await from("2001:db8:abcd::5", "b")).body.status).toBe("accepted");
    expect((await from("::ffff:203.0.113.9", "c")).body.status).toBe("accepted");
    expect(await conversionRows(clickId)).toHaveLength(3);
    await api("PATCH", "/settings", { postbackAllowedIps: [] });
    expect((await from(null, "d")).body.status).toBe("accepted");
  });
});
