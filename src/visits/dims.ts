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

/** Every dimension code a rollup row can carry, in the order the SQL expands them. */
export const ALL_DIM_CODES = [ENTITY_DIM, ...ATTRIBUTE_DIMS.map((d) => d.code), CONVERSION_TYPE_DIM].sort(
  (a, b) => a - b,
);

/** Quarter hours: every IANA zone's offset is a whole number of them, so local days stay exact. */
export const BUCKET_MS = 900_000;
export const BUCKETS_PER_DAY = 96;
