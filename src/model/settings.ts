import { eq } from "drizzle-orm";
import { type SettingsRow, settings } from "../db/schema";
import type { Db } from "../lib/db";
import { TtlCache } from "../lib/ttl-cache";
import type { ConversionStatus } from "./status";

export interface Settings {
  postbackSecret: string | null;
  postbackAllowedIps: string[];
  timezone: string;
  /** A network's status word (lower case) -> status (docs/conversions.md). */
  statusMap: Record<string, ConversionStatus>;
  /** ISO 4217 code of the account. */
  currency: string;
  /** ISO 4217 code -> units of the account currency per unit, exact decimal text. */
  currencyRates: Record<string, string>;
  /** Raw visits older than this many days are archived to R2. */
  visitRetentionDays: number;
}

export const DEFAULT_VISIT_RETENTION_DAYS = 90;

const DEFAULTS: Settings = {
  postbackSecret: null,
  postbackAllowedIps: [],
  timezone: "UTC",
  statusMap: {},
  currency: "USD",
  currencyRates: {},
  visitRetentionDays: DEFAULT_VISIT_RETENTION_DAYS,
};

export function settingsFromRow(row: SettingsRow | undefined): Settings {
  if (!row) return structuredClone(DEFAULTS);
  return {
    postbackSecret: row.postbackSecret,
    postbackAllowedIps: JSON.parse(row.postbackAllowedIps) as string[],
    timezone: row.timezone,
    statusMap: JSON.parse(row.statusMap) as Settings["statusMap"],
    currency: row.currency,
    currencyRates: JSON.parse(row.currencyRates) as Settings["currencyRates"],
    visitRetentionDays: row.visitRetentionDays,
  };
}

/** The single settings row; defaults (no secret, no IP list, UTC, USD) until first saved. */
export async function getSettings(db: Db): Promise<Settings> {
  return settingsFromRow(await db.select().from(settings).where(eq(settings.id, 1)).get());
}

const cache = new TtlCache<1, Settings>();

/**
 * getSettings through a per-isolate cache (lib/ttl-cache.ts), for postbacks: a change made in
 * another isolate (a new secret, a new IP list) applies to postbacks within ttlMs (+1 s).
 */
export function cachedSettings(db: Db, ttlMs: number): Promise<Settings> {
  return cache.get(1, ttlMs, () => getSettings(db));
}

/** The settings a patch would leave, before saving (for rules across fields); undefined keeps a value. */
export async function mergedSettings(db: Db, patch: Partial<Settings>): Promise<Settings> {
  const given = Object.entries(patch).filter(([, value]) => value !== undefined);
  return { ...(await getSettings(db)), ...Object.fromEntries(given) };
}

export async function updateSettings(db: Db, patch: Partial<Settings>): Promise<Settings> {
  const next = await mergedSettings(db, patch);
  const values = {
    postbackSecret: next.postbackSecret,
    postbackAllowedIps: JSON.stringify(next.postbackAllowedIps),
    timezone: next.timezone,
    statusMap: JSON.stringify(next.statusMap),
    currency: next.currency,
    currencyRates: JSON.stringify(next.currencyRates),
    visitRetentionDays: next.visitRetentionDays,
    updatedAt: Date.now(),
  };
  const [row] = await db
    .insert(settings)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: settings.id, set: values })
    .returning();
  cache.clear();
  return settingsFromRow(row);
}
