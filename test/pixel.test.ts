import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, call, click, setupCampaign } from "./helpers";

const countRows = (clickId: string) =>
  env.DB.prepare("SELECT count(*) AS n FROM conversions WHERE click_id = ? AND source = 'pixel'")
    .bind(clickId)
    .first<number>("n");

async function pixel(query: string, cookie?: string) {
  const res = await call(`/pixel.gif${query}`, { headers: cookie ? { Cookie: cookie } : {} });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes };
}

function expectGif({ res, bytes }: Awaited<ReturnType<typeof pixel>>) {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("image/gif");
  expect(res.headers.get("cache-control")).toMatch(/no-store/);
  expect(new TextDecoder().decode(bytes.slice(0, 6))).toBe("GIF89a");
  // Logical screen width and height, little-endian: 1 x 1.
  expect([bytes[6]! | (bytes[7]! << 8), bytes[8]! | (bytes[9]! << 8)]).toEqual([1, 1]);
}

describe("GET /pixel.gif", () => {
  it("registers from the click cookie set by the redirect, once", async () => {
    const { campaign } = await setupCampaign({ payout: { mode: "manual", amount: 7 } });
    const { res, clickId } = await click(campaign.id);
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    expectGif(await pixel("?payout=100", cookie));
    expectGif(await pixel("?payout=100", cookie));
    expect(await countRows(clickId)).toBe(1);
    const row = await env.DB.prepare("SELECT payout_micros FROM conversions WHERE click_id = ?")
      .bind(clickId)
      .first<number>("payout_micros");
    expect(row).toBe(7_000_000);
  });

  it("takes a cid parameter, which wins over the cookie", async () => {
    const { campaign } = await setupCampaign();
    const { clickId: fromCookie } = await click(campaign.id);
    const { clickId: fromParam } = await click(campaign.id);
    expectGif(await pixel(`?cid=${fromParam}&txid=t1`, `ct_cid=${fromCookie}`));
    expect(await countRows(fromParam)).toBe(1);
    expect(await countRows(fromCookie)).toBe(0);
  });

  it("always answers the GIF: no click ID, forged ID, bad payout, unknown type, storage down", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    for (const query of [
      "",
      "?cid=forged",
      `?cid=${clickId}&payout=1e309`,
      `?cid=${clickId}&et=nope`,
      `?cid=${"x".repeat(50_000)}`,
    ]) {
      expectGif(await pixel(query));
    }
    expect(await countRows(clickId)).toBe(0);
    await env.DB.exec("ALTER TABLE offers RENAME TO offers_away");
    try {
      expectGif(await pixel(`?cid=${clickId}`));
    } finally {
      await env.DB.exec("ALTER TABLE offers_away RENAME TO offers");
    }
    expect(await countRows(clickId)).toBe(0);
  });

  it("ignores the postback secret and IP allow-list (a browser cannot hold a secret)", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    await api("PATCH", "/settings", { postbackSecret: "shh", postbackAllowedIps: ["203.0.113.0/24"] });
    expectGif(await pixel(`?cid=${clickId}`));
    expect(await countRows(clickId)).toBe(1);
  });
});
