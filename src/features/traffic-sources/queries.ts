import { asc, eq, inArray } from "drizzle-orm";
import { sourceParamsOf } from "../../click/source-params";
import { type TrafficSourceRow, trafficSources } from "../../db/schema";
import type { StoredConversionApi } from "../../delivery/platforms/store";
import type { Db } from "../../lib/db";
import { conversionApiJson, storedSettings } from "../../model/conversion-api";
import type { TrafficSourceInput } from "./schema";

export function listTrafficSources(db: Db, opts: { includeArchived?: boolean } = {}) {
  const q = db.select().from(trafficSources).orderBy(asc(trafficSources.id));
  return opts.includeArchived ? q.all() : q.where(eq(trafficSources.archived, false)).all();
}

export function getTrafficSource(db: Db, id: number): Promise<TrafficSourceRow | undefined> {
  return db.select().from(trafficSources).where(eq(trafficSources.id, id)).get();
}

export async function getTrafficSourcesByIds(db: Db, ids: number[]): Promise<TrafficSourceRow[]> {
  if (ids.length === 0) return [];
  // D1 binds at most 100 parameters per statement; past that, read them all and pick.
  if (ids.length > 90)
    return (await listTrafficSources(db, { includeArchived: true })).filter((s) => ids.includes(s.id));
  return db.select().from(trafficSources).where(inArray(trafficSources.id, ids)).all();
}

/** The source's columns; the conversion API comes sealed (conversion-apis/store.ts), never from `input`. */
function columns(input: TrafficSourceInput, api: StoredConversionApi) {
  return {
    name: input.name,
    externalIdParam: input.externalId?.param ?? null,
    externalIdPlaceholder: input.externalId?.placeholder ?? null,
    costParam: input.cost?.param ?? null,
    costPlaceholder: input.cost?.placeholder ?? null,
    variables: input.variables,
    postbackUrl: input.postbackUrl,
    postbackFor: input.postbackFor,
    postbackStatuses: input.postbackStatuses,
    conversionApi: api.conversionApi,
    conversionApiSecrets: api.conversionApiSecrets,
  };
}

export async function createTrafficSource(
  db: Db,
  input: TrafficSourceInput,
  api: StoredConversionApi = { conversionApi: null, conversionApiSecrets: null },
): Promise<TrafficSourceRow> {
  const now = Date.now();
  const [row] = await db
    .insert(trafficSources)
    .values({ ...columns(input, api), createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

/** Replaces the source's fields (a whole, validated input) and/or sets `archived`. */
export async function updateTrafficSource(
  db: Db,
  id: number,
  patch: { input?: TrafficSourceInput; api?: StoredConversionApi; archived?: boolean },
): Promise<TrafficSourceRow | undefined> {
  const [row] = await db
    .update(trafficSources)
    .set({
      ...(patch.input && patch.api && columns(patch.input, patch.api)),
      ...(patch.archived !== undefined && { archived: patch.archived }),
      updatedAt: Date.now(),
    })
    .where(eq(trafficSources.id, id))
    .returning();
  return row;
}

/**
 * A stored source as the input shape, so a PATCH can be merged onto it and checked whole; its
 * conversion API comes without secrets (sealing the merge keeps the stored ones).
 */
export function trafficSourceInput(row: TrafficSourceRow): TrafficSourceInput {
  return {
    name: row.name,
    ...sourceParamsOf(row),
    postbackUrl: row.postbackUrl,
    postbackFor: row.postbackFor,
    postbackStatuses: row.postbackStatuses,
    conversionApi: row.conversionApi as TrafficSourceInput["conversionApi"],
  };
}

export function trafficSourceJson(row: TrafficSourceRow) {
  return {
    id: row.id,
    ...trafficSourceInput(row),
    conversionApi: conversionApiJson(storedSettings(row.conversionApi)),
    archived: row.archived,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/**
 * Why a campaign may not use source `id`, or null when it may: it must exist and be live, except
 * that a campaign keeps the source it already has after that source is archived.
 */
export async function unusableSource(db: Db, id: number, current: number | null = null): Promise<string | null> {
  const row = await getTrafficSource(db, id);
  if (!row || (row.archived && id !== current)) return `traffic source ${id} does not exist or is archived`;
  return null;
}
