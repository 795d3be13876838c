import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { campaignCache } from "../src/click/campaign-cache";
import { getDb } from "../src/lib/db";
import { api, setupCampaign } from "./helpers";

const db = () => getDb(env.DB);

// Each test has a cache of its own on a clock it moves: expiry without waiting for it.
let clock = 0;
let cachedCampaignForClick = campaignCache(() => clock);
beforeEach(() => {
  clock = 1_000_000;
  cachedCampaignForClick = campaignCache(() => clock);
});

/** A campaign read into the cache with a 30 ms TTL, then archived, and left until the entry expires. */
async function archivedAfterExpiry() {
  const { campaign } = await setupCampaign();
  await cachedCampaignForClick(db(), campaign.id, 30);
  await api("DELETE", `/campaigns/${campaign.id}`);
  clock += 60;
  return campaign;
}

describe("campaign cache for the redirect", () => {
  it("serves the cached rotation within the TTL and the current one after it", async () => {
    const { campaign } = await setupCampaign({ url: "https://old.example/" });
    expect((await cachedCampaignForClick(db(), campaign.id, 60_000))?.offers[0]?.url).toBe("https://old.example/");
    await api("DELETE", `/campaigns/${campaign.id}`);
    // Within the TTL the isolate keeps serving what it read: the documented staleness window.
    expect((await cachedCampaignForClick(db(), campaign.id, 60_000))?.campaign.archived).toBe(false);
    // TTL 0 never serves from the cache.
    expect((await cachedCampaignForClick(db(), campaign.id, 0))?.campaign.archived).toBe(true);
  });

  it("expires entries after the TTL", async () => {
    const campaign = await archivedAfterExpiry();
    expect((await cachedCampaignForClick(db(), campaign.id, 30))?.campaign.archived).toBe(true);
  });

  it("after expiry, one request re-reads while the others keep the old entry", async () => {
    const campaign = await archivedAfterExpiry();
    const [refreshed, meanwhile] = await Promise.all([
      cachedCampaignForClick(db(), campaign.id, 30),
      cachedCampaignForClick(db(), campaign.id, 30),
    ]);
    expect(refreshed?.campaign.archived).toBe(true);
    expect(meanwhile?.campaign.archived).toBe(false);
    expect((await cachedCampaignForClick(db(), campaign.id, 30))?.campaign.archived).toBe(true);
  });

  it("while D1 fails, serves the expired entry instead of failing the redirect", async () => {
    const { campaign } = await setupCampaign({ url: "https://kept.example/" });
    await cachedCampaignForClick(db(), campaign.id, 30);
    clock += 60;
    const down = getDb({
      prepare: () => {
        throw new Error("D1_ERROR: Network connection lost.");
      },
    } as unknown as D1Database);
    expect((await cachedCampaignForClick(down, campaign.id, 30))?.offers[0]?.url).toBe("https://kept.example/");
    // A campaign it never read cannot be served: the redirect answers an error as before.
    await expect(cachedCampaignForClick(down, 987_653, 30)).rejects.toThrow();
  });

  it("caches unknown campaigns as unknown", async () => {
    expect(await cachedCampaignForClick(db(), 987_654, 60_000)).toBeUndefined();
  });
});
