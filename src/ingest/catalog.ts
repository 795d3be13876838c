import { eq, inArray } from "drizzle-orm";
import { type ConversionTypeRow, campaigns, conversionTypes, type OfferRow, offers, settings } from "../db/schema";
import type { Db } from "../lib/db";
import { parseRate, type Rate } from "../lib/money";
import { TtlCache } from "../lib/ttl-cache";
import { type Settings, settingsFromRow } from "../model/settings";

/** What ingest needs from D1 to judge a batch: read once per batch, never per line. */
type OfferPayout = Pick<OfferRow, "id" | "payoutMode" | "payoutMicros">;

export interface Catalog {
  offers: Map<number, OfferPayout>;
  campaignIds: Set<number>;
  typesByName: Map<string, Pick<ConversionTypeRow, "id" | "archived">>;
  /** The account's status words and currencies (docs/conversions.md), as saved in the settings. */
  account: { statusMap: Settings["statusMap"]; currency: string; rates: Map<string, Rate> };
}

// D1 allows 100 bound parameters per statement.
const IDS_PER_QUERY = 90;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * One D1 batch (one round trip) loading the offers and campaigns named by the click IDs, every
 * type, and the settings row (status words, currency and rates).
 */
export async function loadCatalog(db: Db, offerIds: Set<number>, campaignIds: Set<number>): Promise<Catalog> {
  const typeQuery = db
    .select({ id: conversionTypes.id, name: conversionTypes.name, archived: conversionTypes.archived })
    .from(conversionTypes);
  const offerQueries = chunks([...offerIds], IDS_PER_QUERY).map((ids) =>
    db
      .select({ id: offers.id, payoutMode: offers.payoutMode, payoutMicros: offers.payoutMicros })
      .from(offers)
      .where(inArray(offers.id, ids)),
  );
  const campaignQueries = chunks([...campaignIds], IDS_PER_QUERY).map((ids) =>
    db.select({ id: campaigns.id }).from(campaigns).where(inArray(campaigns.id, ids)),
  );
  const settingsQuery = db.select().from(settings).where(eq(settings.id, 1));
  const [types, settingsRows, ...rest] = await db.batch([
    typeQuery,
    settingsQuery,
    ...offerQueries,
    ...campaignQueries,
  ]);
  const offerRows = rest.slice(0, offerQueries.length).flat() as OfferPayout[];
  const campaignRows = rest.slice(offerQueries.length).flat() as { id: number }[];
  const account = settingsFromRow(settingsRows[0]);
  const rates = new Map<string, Rate>();
  for (const [code, text] of Object.entries(account.currencyRates)) {
    const rate = parseRate(text);
    if (rate !== null) rates.set(code, rate);
  }
  return {
    offers: new Map(offerRows.map((o) => [o.id, o])),
    campaignIds: new Set(campaignRows.map((c) => c.id)),
    typesByName: new Map(types.map((t) => [t.name, t])),
    account: { statusMap: account.statusMap, currency: account.currency, rates },
  };
}

const cache = new TtlCache<string, Catalog>();

/**
 * loadCatalog through a per-isolate cache (lib/ttl-cache.ts), for postbacks and the pixel (one
 * offer and campaign per hit, so entries are small): a type created, archived or restored in
 * another isolate is seen within ttlMs (+1 s). A cold cache reads D1 as loadCatalog does.
 */
export function cachedCatalog(
  db: Db,
  offerIds: Set<number>,
  campaignIds: Set<number>,
  ttlMs: number,
): Promise<Catalog> {
  const key = `${[...offerIds].sort().join(",")}|${[...campaignIds].sort().join(",")}`;
  return cache.get(key, ttlMs, () => loadCatalog(db, offerIds, campaignIds));
}
