/**
 * The ad platforms' click IDs a visit carries in its incoming query (README, docs/direct-tracking.md):
 * Meta's fbclid and its browser IDs fbp / fbc (the direct-tracking script reads the _fbp and _fbc
 * cookies), Google's gclid / gbraid / wbraid, TikTok's ttclid, Microsoft's msclkid. Each is a
 * column of raw_visits and of the archive, a token in offer and lander URLs, and what the
 * platforms' conversion APIs match a conversion on.
 */
export const AD_CLICK_ID_KEYS = ["fbclid", "gclid", "gbraid", "wbraid", "ttclid", "msclkid", "fbp", "fbc"] as const;

export type AdClickIdKey = (typeof AD_CLICK_ID_KEYS)[number];

/** Only the keys the visit carried; none is an empty string. */
export type AdClickIds = Partial<Record<AdClickIdKey, string>>;

/** Real IDs are far shorter (a gclid ~100 characters, an fbc ~250); anything longer is clipped. */
export const MAX_AD_CLICK_ID_LENGTH = 500;

/** The click IDs in a visit's query string; undefined when it has none. Pure, never throws. */
export function readAdClickIds(query: Record<string, string | undefined>): AdClickIds | undefined {
  let ids: AdClickIds | undefined;
  for (const key of AD_CLICK_ID_KEYS) {
    const value = query[key]?.trim();
    if (value) (ids ??= {})[key] = value.slice(0, MAX_AD_CLICK_ID_LENGTH);
  }
  return ids;
}

/** Keeps the known keys with non-empty string values (a stored row, a queue message from any version). */
export function pickAdClickIds(source: unknown): AdClickIds {
  const ids: AdClickIds = {};
  if (typeof source !== "object" || source === null) return ids;
  const record = source as Record<string, unknown>;
  for (const key of AD_CLICK_ID_KEYS) {
    const value = record[key];
    if (typeof value === "string" && value !== "") ids[key] = value;
  }
  return ids;
}

/** Every key present, null where the visit carried none: how the API and the archive show them. */
export function adClickIdFields(ids: AdClickIds): Record<AdClickIdKey, string | null> {
  return Object.fromEntries(AD_CLICK_ID_KEYS.map((k) => [k, ids[k] ?? null])) as Record<AdClickIdKey, string | null>;
}
