import { asc, eq, inArray } from "drizzle-orm";
import { type OfferRow, offers } from "../../db/schema";
import type { Db } from "../../lib/db";
import { microsToDecimal } from "../../lib/money";

export type Payout = { mode: "auto" } | { mode: "manual"; amountMicros: number };

export interface OfferInput {
  name: string;
  url: string;
  payout: Payout;
}

export function listOffers(db: Db, opts: { includeArchived?: boolean } = {}) {
  const q = db.select().from(offers).orderBy(asc(offers.id));
  return opts.includeArchived ? q.all() : q.where(eq(offers.archived, false)).all();
}

export async function getOffer(db: Db, id: number): Promise<OfferRow | undefined> {
  return db.select().from(offers).where(eq(offers.id, id)).get();
}

export function getOffersByIds(db: Db, ids: number[]): Promise<OfferRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select().from(offers).where(inArray(offers.id, ids)).all();
}

export async function createOffer(db: Db, input: OfferInput): Promise<OfferRow> {
  const now = Date.now();
  const [row] = await db
    .insert(offers)
    .values({ name: input.name, url: input.url, ...payoutColumns(input.payout), createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export async function updateOffer(db: Db, id: number, patch: Partial<OfferInput> & { archived?: boolean }) {
  const values: Partial<OfferRow> = { updatedAt: Date.now() };
  if (patch.name !== undefined) values.name = patch.name;
  if (patch.url !== undefined) values.url = patch.url;
  if (patch.archived !== undefined) values.archived = patch.archived;
  if (patch.payout !== undefined) Object.assign(values, payoutColumns(patch.payout));
  const [row] = await db.update(offers).set(values).where(eq(offers.id, id)).returning();
  return row;
}

function payoutColumns(payout: Payout) {
  return payout.mode === "manual"
    ? { payoutMode: "manual" as const, payoutMicros: payout.amountMicros }
    : { payoutMode: "auto" as const, payoutMicros: 0 };
}

/** The API's view of an offer: decimal amounts, nested payout. */
export function offerJson(row: OfferRow) {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    payout:
      row.payoutMode === "manual"
        ? { mode: "manual" as const, amount: microsToDecimal(row.payoutMicros) }
        : { mode: "auto" as const },
    archived: row.archived,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
