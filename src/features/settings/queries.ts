import { eq } from "drizzle-orm";
import { type SettingsRow, settings } from "../../db/schema";
import type { Db } from "../../lib/db";
import { TtlCache } from "../../lib/ttl-cache";

export interface Settings {
  postbackSecret: string | null;
  postbackAllowedIps: string[];
  timezone: string;
  visitRetentionDays: number;
}

export const DEFAULT_VISIT_RETENTION_DAYS = 90;

const DEFAULTS: Settings = {
  postbackSecret: null,
  postbackAllowedIps: [],
  timezone: "UTC",
  visitRetentionDays: DEFAULT_VISIT_RETENTION_DAYS,
};

function fromRow(row: SettingsRow | undefined): Settings {
  if (!row) return { ...DEFAULTS };
  return {
    postbackSecret: row.postbackSecret,
    postbackAllowedIps: JSON.parse(row.postbackAllowedIps) as string[],
    timezone: row.timezone,
    visitRetentionDays: row.visitRetentionDays,
  };
}

/** The single settings row; defaults (no secret, no IP list, UTC) until first saved. */
export async function getSettings(db: Db): Promise<Settings> {
  return fromRow(await db.select().from(settings).where(eq(settings.id, 1)).get());
}

const cache = new TtlCache<1, Settings>();

/**
 * getSettings through a per-isolate cache (lib/ttl-cache.ts), for postbacks: a change made in
 * another isolate (a new secret, a new IP list) applies to postbacks within ttlMs (+1 s).
 */
export function cachedSettings(db: Db, ttlMs: number): Promise<Settings> {
  return cache.get(1, ttlMs, () => getSettings(db));
}

export async function updateSettings(db: Db, patch: Partial<Settings>): Promise<Settings> {
  const next = { ...(await getSettings(db)), ...patch };
  const values = {
    postbackSecret: next.postbackSecret,
    postbackAllowedIps: JSON.stringify(next.postbackAllowedIps),
    timezone: next.timezone,
    visitRetentionDays: next.visitRetentionDays,
    updatedAt: Date.now(),
  };
  const [row] = await db
    .insert(settings)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: settings.id, set: values })
    .returning();
  cache.clear();
  return fromRow(row);
}
