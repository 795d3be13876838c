import { describe, expect, it } from "vitest";
import { CLICK_ID_LENGTH, mintClickId, verifyClickId } from "../src/lib/clickid";

const SECRET = "unit-test-secret";
const data = { visitTime: Date.UTC(2026, 10, 21, 12, 30, 45), campaignId: 42, offerId: 4_000_000_000 };

describe("click IDs", () => {
  it("round-trips visit time, campaign and offer in at most 32 URL-safe characters", async () => {
    const id = await mintClickId(SECRET, data);
    expect(id.length).toBeLessThanOrEqual(CLICK_ID_LENGTH);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await verifyClickId(SECRET, id)).toEqual(data);
  });

  it("keeps only whole seconds of the visit time", async () => {
    const id = await mintClickId(SECRET, { ...data, visitTime: data.visitTime + 999 });
    expect((await verifyClickId(SECRET, id))?.visitTime).toBe(data.visitTime);
  });

  it("mints a different ID for each click, even with the same data", async () => {
    const ids = new Set(await Promise.all(Array.from({ length: 1000 }, () => mintClickId(SECRET, data))));
    expect(ids.size).toBe(1000);
  });

  it("rejects every single-character change", async () => {
    const id = await mintClickId(SECRET, data);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let tried = 0;
    for (let i = 0; i < id.length; i++) {
      for (const ch of alphabet) {
        if (ch === id[i]) continue;
        const changed = id.slice(0, i) + ch + id.slice(i + 1);
        expect(await verifyClickId(SECRET, changed), changed).toBeNull();
        tried++;
      }
    }
    expect(tried).toBe(id.length * 63);
  });

  it("rejects an ID minted with another secret", async () => {
    const id = await mintClickId("another-secret", data);
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
    await expect(mintClickId("", data)).rejects.toThrow(/CLICKID_SECRET/);
    const id = await mintClickId(SECRET, data);
    expect(await verifyClickId("", id)).toBeNull();
  });
});
