/** Every report dimension of docs/reports-storage.md, in the order the report page lists them. */
export const DIMENSIONS = [
  "campaign",
  "trafficSource",
  "lander",
  "offer",
  "path",
  "day",
  "hour",
  "country",
  "region",
  "city",
  "language",
  "device",
  "brand",
  "model",
  "os",
  "osVersion",
  "browser",
  "browserVersion",
  "isp",
  "referrerDomain",
  "bot",
  "conversionType",
  "var1",
  "var2",
  "var3",
  "var4",
  "var5",
  "var6",
  "var7",
  "var8",
  "var9",
  "var10",
] as const;

export type Dimension = (typeof DIMENSIONS)[number];

/** A report row's key: an entity or type id, an hour, a dictionary value, or null for "none". */
export type ReportKey = number | string | boolean | null;

const TITLES: Partial<Record<Dimension, string>> = {
  trafficSource: "Traffic source",
  osVersion: "OS version",
  os: "OS",
  browserVersion: "Browser version",
  isp: "ISP",
  referrerDomain: "Referrer domain",
  conversionType: "Conversion type",
  bot: "Bot",
};

/** "trafficSource" → "Traffic source", "var3" → the alias its traffic source gives it, else "var3". */
export function dimensionTitle(dim: Dimension, aliases: Partial<Record<string, string>> = {}): string {
  if (dim.startsWith("var")) return aliases[dim] ?? dim;
  return TITLES[dim] ?? dim[0]!.toUpperCase() + dim.slice(1);
}

/** The four entities filter by id parameters; every other dimension by its own name (docs/reports-storage.md). */
const ENTITY_FILTERS = {
  campaign: "campaignId",
  trafficSource: "trafficSourceId",
  lander: "landerId",
  offer: "offerId",
} as const satisfies Partial<Record<Dimension, string>>;

export function filterParam(dim: Dimension): string {
  return (ENTITY_FILTERS as Partial<Record<Dimension, string>>)[dim] ?? dim;
}

const BY_PARAM = new Map<string, Dimension>(DIMENSIONS.map((d) => [filterParam(d), d]));

/** Filter parameter → dimension, in the order the engine reads filters: entities, time, attributes, type. */
export const FILTER_PARAMS: Readonly<Record<string, Dimension>> = Object.fromEntries(
  [
    ...(["campaign", "trafficSource", "offer", "lander"] as const),
    ...DIMENSIONS.filter((d) => !(d in ENTITY_FILTERS) && d !== "conversionType"),
    "conversionType" as const,
  ].map((d) => [filterParam(d), d]),
);

/** The dimension a filter parameter narrows, or undefined when the parameter is not a filter. */
export function dimensionOfParam(param: string): Dimension | undefined {
  return BY_PARAM.get(param);
}

const ENTITIES = new Set<Dimension>(["campaign", "trafficSource", "lander", "offer", "path"]);

/**
 * The filter value that selects a report row, or null when no filter can: rows without an entity
 * (key null) have no id to filter by. Attributes select "none" with "", conversion types with
 * "default" (docs/reports-storage.md, as the API reads them).
 */
export function filterValueOf(dim: Dimension, key: ReportKey): string | null {
  if (key === null)
    return ENTITIES.has(dim) || dim === "day" || dim === "hour" ? null : dim === "conversionType" ? "default" : "";
  return String(key);
}

/** Time dimensions read best in time order; the others by a column's numbers. */
export const isTimeDimension = (dim: Dimension) => dim === "day" || dim === "hour";

/** The order in which a drill-down proposes the next dimension: entities, then where, what, when. */
const NEXT = [
  "campaign",
  "offer",
  "lander",
  "path",
  "country",
  "device",
  "os",
  "browser",
  "day",
  "hour",
] satisfies Dimension[];

/** The dimension a row opens by: the first of NEXT (then of DIMENSIONS) not already filtered or shown. */
export function nextDimension(current: Dimension, filtered: Dimension[]): Dimension {
  const used = new Set<Dimension>([current, ...filtered]);
  return [...NEXT, ...DIMENSIONS].find((d) => !used.has(d)) ?? current;
}
