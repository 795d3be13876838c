import { VAR_SLOTS } from "../model/vars";
import type { VisitRecord } from "./types";

/**
 * The visit attributes that are report dimensions, each with its code in the rollups (`dim`),
 * its dictionary-encoded column in raw_visits, and how to read it from a VisitRecord. Code 0 is
 * the row without a dimension (entity totals); conversionType (14) comes from conversion events.
 */
export interface AttributeDim {
  name: string;
  code: number;
  column: string;
  read: (v: VisitRecord) => string | null;
}

const attr = (name: string, code: number, column: string, read: AttributeDim["read"]): AttributeDim => ({
  name,
  code,
  column,
  read,
});

export const ATTRIBUTE_DIMS: readonly AttributeDim[] = [
  attr("country", 1, "country", (v) => v.country),
  attr("region", 2, "region", (v) => v.region),
  attr("city", 3, "city", (v) => v.city),
  attr("language", 4, "language", (v) => v.language),
  attr("device", 5, "device", (v) => v.deviceType),
  attr("brand", 6, "brand", (v) => v.brand),
  attr("model", 7, "model", (v) => v.model),
  attr("os", 8, "os", (v) => v.os),
  attr("osVersion", 9, "os_version", (v) => v.osVersion),
  attr("browser", 10, "browser", (v) => v.browser),
  attr("browserVersion", 11, "browser_version", (v) => v.browserVersion),
  attr("isp", 12, "isp", (v) => v.isp),
  attr("referrerDomain", 13, "referrer_domain", (v) => v.referrerDomain),
  ...Array.from({ length: VAR_SLOTS }, (_, i) => attr(`var${i + 1}`, 15 + i, `var${i + 1}`, (v) => v.vars[i] ?? null)),
];

export const ENTITY_DIM = 0;
export const CONVERSION_TYPE_DIM = 14;
/** Bots: a row (value 1) per key with bot visits; a visit without one is not a bot (fewer rows). */
export const BOT_DIM = 25;

/** A visit attribute the rollups keep a row per value of: its raw column and its value in SQL. */
export interface RollupAttribute {
  code: number;
  column: string;
  value: (alias: string) => string;
}

/** The dictionary attributes, then bot (raw column 0/1; rows for 1 only). */
export const ROLLUP_ATTRIBUTES: readonly RollupAttribute[] = [
  ...ATTRIBUTE_DIMS.map((d) => ({ code: d.code, column: d.column, value: (a: string) => `${a}.${d.column}` })),
  { code: BOT_DIM, column: "bot", value: (a: string) => `nullif(${a}.bot, 0)` },
];

/** A raw column's value as the rollups key it (bot: 1 or null). */
export const rawAttributeValue = (alias: string, column: string) =>
  column === "bot" ? `nullif(${alias}.bot, 0)` : `${alias}.${column}`;

/** Every dimension code a rollup row can carry, in the order the SQL expands them. */
export const ALL_DIM_CODES = [ENTITY_DIM, ...ROLLUP_ATTRIBUTES.map((d) => d.code), CONVERSION_TYPE_DIM].sort(
  (a, b) => a - b,
);

/** Quarter hours: every IANA zone's offset is a whole number of them, so local days stay exact. */
export const BUCKET_MS = 900_000;
export const BUCKETS_PER_DAY = 96;
