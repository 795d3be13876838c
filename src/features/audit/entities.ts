import { eq, max } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  apiKeys,
  campaigns,
  conversionTypes,
  costUpdates,
  landers,
  offers,
  rules,
  sourcePostbacks,
  trafficSources,
  users,
} from "../../db/schema";
import type { Db } from "../../lib/db";
import { getSettings } from "../../model/settings";
import type { EntityName } from "../access/roles";
import { getCampaign } from "../campaigns/queries";

export type Snapshot = Record<string, unknown>;

/**
 * How the audit log reads an entity's state before and after a change: `load` gives its stored
 * fields (undefined: it does not exist), `newest` the highest id so far (a create's new rows are
 * above it). An entity without `load` is an event (an upload): who did it and when, no fields.
 */
export interface EntitySpec {
  load?: (db: Db, id: string) => Promise<Snapshot | undefined>;
  newest?: (db: Db) => Promise<number>;
  /** An event's action name ("upload"). */
  event?: string;
  /** One object without an id in the path (the settings). */
  singleton?: true;
}

type WithId = SQLiteTable & { id: SQLiteColumn };

function stored(table: WithId, numericId = true): EntitySpec {
  return {
    load: async (db, id) => {
      if (numericId && !/^\d{1,15}$/.test(id)) return undefined;
      return (await db
        .select()
        .from(table as SQLiteTable)
        .where(eq(table.id, numericId ? Number(id) : id))
        .get()) as Snapshot | undefined;
    },
    newest: numericId
      ? async (db) =>
          Number(
            (
              await db
                .select({ id: max(table.id) })
                .from(table as SQLiteTable)
                .get()
            )?.id ?? 0,
          )
      : undefined,
  };
}

/** Every entity a route of the access table may name; the table's type checks the names. */
export const ENTITIES = {
  offer: stored(offers as WithId),
  lander: stored(landers as WithId),
  campaign: {
    ...stored(campaigns as WithId),
    // With its rotation; the source is named by trafficSourceId already.
    load: async (db, id) => {
      if (!/^\d{1,15}$/.test(id)) return undefined;
      const row = await getCampaign(db, Number(id));
      if (!row) return undefined;
      const { trafficSource: _source, ...rest } = row;
      return rest;
    },
  },
  "traffic-source": stored(trafficSources as WithId),
  "conversion-type": stored(conversionTypes as WithId),
  "cost-update": stored(costUpdates as WithId),
  "source-postback": stored(sourcePostbacks as WithId, false),
  settings: { load: async (db) => ({ ...(await getSettings(db)) }), singleton: true },
  "conversion-upload": { event: "upload" },
  user: stored(users as WithId),
  "api-key": stored(apiKeys as WithId),
  rule: stored(rules as WithId),
} satisfies Record<EntityName, EntitySpec>;

export type { EntityName };
