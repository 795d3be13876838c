import { inArray } from "drizzle-orm";
import { flowPathNames } from "../click/flow-store";
import { campaigns, conversionTypes, offers } from "../db/schema";
import type { Db } from "../lib/db";
import { varAliases } from "./aliases";
import { type DimensionKind, dimensionOf, type ReportKey } from "./types";

// D1 binds at most 100 parameters per statement.
const CHUNK = 90;

/**
 * Human names for report keys: campaign, offer, type, traffic source and lander names (archived
 * ones too), country names; "(none)" for visits without the entity or value.
 */
export async function labelsFor(
  db: Db,
  dimension: DimensionKind | string,
  keys: ReportKey[],
): Promise<Map<ReportKey, string>> {
  const group = typeof dimension === "string" ? dimensionOf(dimension) : dimension;
  const labels = new Map<ReportKey, string>();
  const ids = keys.filter((k): k is number => typeof k === "number");
  if (group.kind === "attribute") {
    for (const k of keys) {
      if (group.name === "country") labels.set(k, countryName(String(k)));
      else if (group.name === "bot") labels.set(k, k === true ? "Bot" : "Not a bot");
      else labels.set(k, k === null ? "(none)" : String(k));
    }
  } else if (group.kind === "type") {
    for (const [id, name] of await namesOf(db, "conversion_types", ids)) labels.set(id, name);
    labels.set(null, "(default)");
  } else if (group.kind === "entity") {
    const table = { campaign: "campaigns", offer: "offers", trafficSource: "traffic_sources", lander: "landers" }[
      group.name as string
    ];
    if (table) for (const [id, name] of await namesOf(db, table, ids)) labels.set(id, name);
    if (group.name === "path") {
      const names = await flowPathNames(db, ids);
      for (const id of ids) labels.set(id, names.get(id) ?? `Path ${id}`);
    }
    labels.set(null, "(none)");
  }
  return labels;
}

const drizzleTables = { campaigns, offers, conversion_types: conversionTypes } as const;

/** id → name of a table; tables other features add later are read if present. */
async function namesOf(db: Db, table: string, ids: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const known = drizzleTables[table as keyof typeof drizzleTables];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    if (known) {
      const rows = await db.select({ id: known.id, name: known.name }).from(known).where(inArray(known.id, chunk));
      for (const r of rows) out.set(r.id, r.name);
      continue;
    }
    try {
      const rows = await db.$client
        .prepare(`SELECT id, name FROM ${table} WHERE id IN (SELECT value FROM json_each(?1))`)
        .bind(JSON.stringify(chunk))
        .all<{ id: number; name: string }>();
      for (const r of rows.results) out.set(r.id, r.name);
    } catch {
      return out; // the table is not there (yet): ids stay as labels
    }
  }
  return out;
}

/** The alias a traffic source gives the grouped var slot ("Zone" for var1), when the filters pin one source. */
export async function varAlias(
  db: Db,
  group: DimensionKind,
  filters: Record<string, string | number | undefined>,
): Promise<string | null> {
  if (group.kind !== "attribute" || !/^var\d+$/.test(group.name)) return null;
  const pinned = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as Record<
    string,
    string | number
  >;
  return (await varAliases(db, pinned))[group.name] ?? null;
}

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

function countryName(code: string): string {
  if (code === "XX") return "Unknown";
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code; // codes Intl does not accept, such as Cloudflare's T1 (Tor)
  }
}
