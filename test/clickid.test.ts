import { describe, expect, it } from "vitest";
import { CLICK_ID_LENGTH, mintClickId, verifyClickId } from "../src/lib/clickid";

const SECRET = "unit-test-secret";
const visitTime = Date.UTC(2026, 10, 21, 12, 30, 45);
const direct = { visitTime, campaignId: 42, offerId: 4_000_000_000, landerId: null, pathId: null };
const viaLander = { visitTime, campaignId: 42, offerId: 0, landerId: 7, pathId: 420_003 };
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** A v1 ID as the tracker minted them before v2, built here independently of src/lib/clickid.ts. */
async function mintV1(secret: string, time: number, campaignId: number, offerId: number): Promise<string> {
  const bytes = new Uint8Array(24);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, Math.floor(time / 1000));
  view.setUint32(4, campaignId);
  view.setUint32(8, offerId);
  crypto.getRandomValues(bytes.subarray(12, 16));
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  bytes.set(new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes.subarray(0, 16)), 0, 8), 16);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
}

async function expectEveryChangeRejected(id: string) {
  let tried = 0;
  for (let i = 0; i < id.length; i++) {
    for (const ch of ALPHABET) {
      if (ch === id[i]) continue;
      const changed = id.slice(0, i) + ch + id.slice(i + 1);
      expect(await verifyClickId(SECRET, changed), changed).toBeNull();
      tried++;
    }
  }
  expect(tried).toBe(id.length * 63);
}

describe("click IDs", () => {
  it("round-trips time, campaign, offer, lander and path in 32 URL-safe characters", async () => {
    for (const data of [direct, viaLander]) {
      const id = await mintClickId(SECRET, data);
      expect(id).toHaveLength(CLICK_ID_LENGTH);
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(await verifyClickId(SECRET, id)).toEqual(data);
    }
  });

  it("carries ids of every size up to 2^32 - 1, and refuses ids it cannot carry", async () => {
    for (const n of [1, 1023, 1024, 1_048_575, 1_048_576, 2 ** 32 - 1]) {
      const data = { visitTime, campaignId: n, offerId: 0, landerId: n, pathId: n * 10_000 + 9999 };
      expect(await verifyClickId(SECRET, await mintClickId(SECRET, data))).toEqual(data);
    }
    const huge = { visitTime, campaignId: 2 ** 32 - 1, offerId: 2 ** 32 - 1, landerId: 2 ** 32 - 1 };
    await expect(mintClickId(SECRET, huge)).rejects.toThrow(/too large/);
    await expect(mintClickId(SECRET, { ...direct, pathId: 99 })).rejects.toThrow(/out of range/);
  });

  it("keeps only whole seconds of the visit time", async () => {
    const id = await mintClickId(SECRET, { ...direct, visitTime: visitTime + 999 });
    expect((await verifyClickId(SECRET, id))?.visitTime).toBe(visitTime);
  });

  it("mints a different ID for each click, even with the same data", async () => {
    for (const data of [direct, viaLander]) {
      const ids = new Set(await Promise.all(Array.from({ length: 1000 }, () => mintClickId(SECRET, data))));
      expect(ids.size).toBe(1000);
    }
  });

  it("rejects every single-character change of a v2 ID", async () => {
    await expectEveryChangeRejected(await mintClickId(SECRET, viaLander));
    await expectEveryChangeRejected(await mintClickId(SECRET, direct));
  });

  it("still accepts v1 IDs (minted before landers) and rejects their every single-character change", async () => {
    const v1 = await mintV1(SECRET, visitTime, 42, 9);
    expect(await verifyClickId(SECRET, v1)).toEqual({
      visitTime,
      campaignId: 42,
      offerId: 9,
      landerId: null,
      pathId: null,
    });
    await expectEveryChangeRejected(v1);
    expect(await verifyClickId(SECRET, await mintV1("another-secret", visitTime, 42, 9))).toBeNull();
  });

  it("rejects an ID minted with another secret", async () => {
    const id = await mintClickId("another-secret", direct);
    expect(await verifyClickId(SECRET, id)).toBeNull();
  });

  it("rejects junk of every shape", async () => {
    const junk = [
      "",
      "x",
      "a".repeat(31),
      "a".repeat(33),
      "a".repeat(10_000),
      "' OR 1=1 --",
      "%00".repeat(11),
      "é".repeat(32),
      "a+b/".repeat(8),
    ];
    for (const value of junk) expect(await verifyClickId(SECRET, value)).toBeNull();
  });

  it("refuses to mint or verify without a secret", async () => {
    await expect(mintClickId("", direct)).rejects.toThrow(/CLICKID_SECRET/);
    const id = await mintClickId(SECRET, direct);
    expect(await verifyClickId("", id)).toBeNull();
  });
});
