import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, BASE, call, click, created, eventually, setupCampaign } from "./helpers";
import { getJson } from "./report-helpers";

// docs/conversions.md: other trackers' parameter names, and the parameters no field reads.

async function postback(query: string, init?: RequestInit) {
  const res = await call(`/postback?${query}`, init);
  return { status: res.status, body: (await res.json()) as { status?: string; conversionId?: string; error?: string } };
}

const row = (clickId: string) =>
  env.DB.prepare("SELECT payout_micros, txid, type_id, status, extra FROM conversions WHERE click_id = ?")
    .bind(clickId)
    .first<Record<string, any>>();

const logFor = (conversionId: string) =>
  eventually(
    () => getJson("/postbacks?limit=500"),
    (page) => page.postbacks.some((p: any) => p.conversionId === conversionId),
  ).then((page) => page.postbacks.find((p: any) => p.conversionId === conversionId));

describe("parameter aliases", () => {
  it("a Keitaro-style postback (subid, revenue, status) works after changing only the host", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const lead = await postback(`subid=${clickId}&revenue=4.5&status=lead&tid=ord-7`);
    expect(lead.body.status).toBe("accepted");
    expect(await row(clickId)).toMatchObject({ payout_micros: 4_500_000, txid: "ord-7", status: "pending" });
    expect((await postback(`subid=${clickId}&revenue=4.5&status=sale&tid=ord-7`)).body.status).toBe("updated");
    const entry = await logFor(lead.body.conversionId!);
    expect(entry.readFrom).toEqual({ cid: "subid", payout: "revenue", txid: "tid", status: "status" });
    const page = await (await call("/admin/postbacks", { headers: await adminCookie() })).text();
    expect(page).toContain("cid ← subid");
    expect(page).toContain("payout ← revenue");
  });

  it("reads every name docs/conversions.md lists; the first name present wins", async () => {
    const { campaign } = await setupCampaign();
    await created(api("POST", "/conversion-types", { name: "deposit" }));
    const names = ["cid", "clickid", "click_id", "subid", "sub_id", "cnv_id"];
    for (const name of names) {
      const { clickId } = await click(campaign.id);
      expect((await postback(`${name}=${clickId}`)).body.status, name).toBe("accepted");
    }
    const { clickId } = await click(campaign.id);
    const other = (await click(campaign.id)).clickId;
    // cid wins over clickid wherever it stands; an empty value counts as absent.
    expect(
      (await postback(`clickid=${other}&cid=${clickId}&sum=1&payout=&transaction_id=t1&event=deposit`)).body.status,
    ).toBe("accepted");
    expect(await row(clickId)).toMatchObject({ payout_micros: 1_000_000, txid: "t1", type_id: expect.any(Number) });
    expect(await row(other)).toBeNull();
    for (const [query, field] of [
      [`cid=${clickId}&revenue=abc`, "revenue"],
      [`cnv_id=${clickId}&sum=1e3`, "sum"],
      [`cid=${clickId}&event=nope`, "event"],
      [`cid=${clickId}&tid=${"x".repeat(129)}`, "tid"],
      [`sub_id=${clickId.slice(0, 30)}xx`, "sub_id"],
    ] as const) {
      const res = await postback(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toMatch(new RegExp(`^${field}: `));
    }
  });

  it("without any click-ID name: 400 listing every name read, by GET, POST and pixel log alike", async () => {
    const expected = "cid: is required (also read from clickid, click_id, subid, sub_id, cnv_id)";
    for (const query of ["payout=1", "cid=&subid=", "CID=abc"]) {
      expect(await postback(query), query).toMatchObject({ status: 400, body: { error: expected } });
    }
    const post = await call("/postback", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "revenue=2",
    });
    expect(await post.json()).toMatchObject({ error: expected, code: "invalid_parameter" });
  });

  it("keeps the parameters no field reads with the conversion (at most 20, clipped), never the secret", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    await api("PATCH", "/settings", { postbackSecret: "s3cret" });
    const many = Array.from({ length: 25 }, (_, i) => `p${i}=${i}`).join("&");
    const long = "v".repeat(300);
    const res = await postback(`cid=${clickId}&secret=s3cret&param1=zone%207&long=${long}&${many}`);
    await api("PATCH", "/settings", { postbackSecret: null });
    expect(res.body.status).toBe("accepted");
    const extra = JSON.parse((await row(clickId))!.extra);
    expect(Object.keys(extra)).toHaveLength(20);
    expect(extra).toMatchObject({ param1: "zone 7", long: "v".repeat(256), p0: "0", p17: "17" });
    expect(extra).not.toHaveProperty("secret");
    expect(extra).not.toHaveProperty("cid");
    const list = await getJson(`/conversions?campaignId=${campaign.id}`);
    expect(list.conversions[0].extra).toEqual(extra);
    const page = await (
      await call(`/admin/conversions?campaignId=${campaign.id}`, { headers: await adminCookie() })
    ).text();
    expect(page).toContain("param1=zone 7");
  });

  it("the pixel reads the same names, its cookie when none is present, and logs where the click ID came from", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const byAlias = await call(`/pixel.gif?clickid=${clickId}&revenue=2&cnv_status=hold`);
    expect(byAlias.headers.get("content-type")).toBe("image/gif");
    expect(await row(clickId)).toMatchObject({ payout_micros: 2_000_000, status: "pending" });
    const second = (await click(campaign.id)).clickId;
    await call("/pixel.gif?sum=3", { headers: { cookie: `ct_cid=${second}` } });
    expect(await row(second)).toMatchObject({ payout_micros: 3_000_000, status: "approved" });
    const log = await eventually(
      () => getJson("/postbacks?limit=500"),
      (p) => p.postbacks.filter((e: any) => e.source === "pixel").length >= 2,
    );
    const pixels = log.postbacks.filter((e: any) => e.source === "pixel");
    expect(pixels.map((e: any) => e.readFrom)).toEqual([
      { cid: "ct_cid", payout: "sum" },
      { cid: "clickid", payout: "revenue", status: "cnv_status" },
    ]);
    expect(pixels[0].params).toEqual({ sum: "3", ct_cid: second });
  });
});

/** A session cookie for the admin pages (the login form takes the admin token). */
async function adminCookie(): Promise<Record<string, string>> {
  const res = await call("/admin/login", {
    method: "POST",
    headers: { Origin: BASE },
    body: new URLSearchParams({ token: env.ADMIN_TOKEN }),
  });
  return { Cookie: /ct_admin=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0] };
}
