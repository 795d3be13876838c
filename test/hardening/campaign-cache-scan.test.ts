import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cachedCampaignForClick } from "../../src/click/campaign-cache";
import { getDb } from "../../src/lib/db";
import { TtlCache } from "../../src/lib/ttl-cache";
import { api, setupCampaign } from "../helpers";

const db = () => getDb(env.DB);

describe("a scan of unknown campaign ids (issue 10 row 11)", () => {
  it("leaves the cached campaigns cached", async () => {
    const { campaign } = await setupCampaign();
    await cachedCampaignForClick(db(), campaign.id, 60_000);
    // D1 now says archived; while the entry stays cached, the isolate still sees it live.
    await api("DELETE", `/campaigns/${campaign.id}`);
    // More unknown ids than the cache holds campaigns (1,000).
    for (let start = 0; start < 1200; start += 200) {
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => cachedCampaignForClick(db(), 5_000_000 + start + i, 60_000)),
      );
    }
    expect((await cachedCampaignForClick(db(), campaign.id, 60_000))?.campaign.archived).toBe(false);
  }, 60_000);
});

describe("TtlCache bounds", () => {
  const counting = () => {
    const loads: number[] = [];
    const load = (key: number, value: string | undefined) => async () => {
      loads.push(key);
      return value;
    };
    return { loads, load };
  };

  it("caches a miss: the second lookup of an unknown key does not load", async () => {
    const cache = new TtlCache<number, string | undefined>();
    const { loads, load } = counting();
    expect(await cache.get(7, 60_000, load(7, undefined))).toBeUndefined();
    expect(await cache.get(7, 60_000, load(7, undefined))).toBeUndefined();
    expect(loads).toEqual([7]);
  });

  it("keeps misses in their own bounded room, so they never evict values", async () => {
    const cache = new TtlCache<number, string | undefined>({ maxEntries: 3, maxMisses: 5 });
    const { loads, load } = counting();
    for (const k of [1, 2, 3]) await cache.get(k, 60_000, load(k, `v${k}`));
    for (let k = 100; k < 200; k++) await cache.get(k, 60_000, load(k, undefined));
    expect(cache.size).toEqual({ entries: 3, misses: 5 });
    loads.length = 0;
    for (const k of [1, 2, 3]) expect(await cache.get(k, 60_000, load(k, "reloaded"))).toBe(`v${k}`);
    expect(loads).toEqual([]);
  });

  it("evicts the least recently used value when full", async () => {
    const cache = new TtlCache<number, string | undefined>({ maxEntries: 3, maxMisses: 5 });
    const { loads, load } = counting();
    for (const k of [1, 2, 3]) await cache.get(k, 60_000, load(k, `v${k}`));
    await cache.get(1, 60_000, load(1, "x")); // 1 is now the most recent
    await cache.get(4, 60_000, load(4, "v4")); // evicts 2
    loads.length = 0;
    for (const k of [1, 3, 4, 2]) await cache.get(k, 60_000, load(k, `again${k}`));
    expect(loads).toEqual([2]);
    expect(cache.size.entries).toBe(3);
  });
});
