import { inArray } from "drizzle-orm";
import { campaigns, conversionTypes, offers } from "../db/schema";
import type { Db } from "../lib/db";
import type { GroupBy, ReportKey } from "./types";

// D1 binds at most 100 parameters per statement.
const CHUNK = 90;

/** Human names for report keys: campaign, offer and type names (archived ones too), countries. */
export async function labelsFor(db: Db, groupBy: GroupBy, keys: ReportKey[]): Promise<Map<ReportKey, string>> {
  const labels = new Map<ReportKey, string>();
  if (groupBy === "country") {
    for (const k of keys) labels.set(k, countryName(String(k)));
  } else if (groupBy === "campaign" || groupBy === "offer" || groupBy === "conversionType") {
    const table = groupBy === "campaign" ? campaigns : groupBy === "offer" ? offers : conversionTypes;
    const ids = keys.filter((k): k is number => typeof k === "number");
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await db
        .select({ id: table.id, name: table.name })
        .from(table)
        .where(inArray(table.id, ids.slice(i, i + CHUNK)));
      for (const r of rows) labels.set(r.id, r.name);
    }
    if (groupBy === "conversionType") labels.set(null, "(default)");
  }
  return labels;
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
