/**
 * Per-isolate cache of values read from D1, so a hot path (the redirect, a postback) normally
 * does no D1 round trip before answering. The price is staleness: a change reaches an isolate
 * within ttlMs, plus at most REFRESH_GRACE_MS while one request re-reads an expired entry and
 * the others keep using the old one (so an expiry under load costs one query, not one per
 * request in flight). Values, not promises, are cached: a request must never await another
 * request's promise. Misses (undefined) are cached too; the map is bounded against id scans.
 */
export const DEFAULT_TTL_MS = 5000;
const REFRESH_GRACE_MS = 1000;
const MAX_ENTRIES = 1000;

interface Entry<V> {
  expires: number;
  value: V;
  refreshingSince?: number;
}

/** A TTL from a `vars` string: a number of ms ≥ 0 (0 = no caching), else the default. */
export function ttlFromSetting(setting: string | undefined, fallback = DEFAULT_TTL_MS): number {
  const ms = setting === undefined || setting === "" ? NaN : Number(setting);
  return Number.isFinite(ms) && ms >= 0 ? ms : fallback;
}

export class TtlCache<K, V> {
  readonly #entries = new Map<K, Entry<V>>();

  /**
   * staleIfError: when load() fails (D1 unavailable), an expired entry is served instead of the
   * error, and re-read after REFRESH_GRACE_MS (for the redirect: a click during a D1 outage still
   * goes to the offer it went to a moment ago, and its visit waits in the queue).
   */
  constructor(private readonly options: { staleIfError?: boolean } = {}) {}

  /** The cached value of `key`, or load()'s (which may throw; nothing is cached then). */
  async get(key: K, ttlMs: number, load: () => Promise<V>): Promise<V> {
    if (ttlMs <= 0) return load();
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    if (hit?.refreshingSince !== undefined && now - hit.refreshingSince < REFRESH_GRACE_MS) return hit.value;
    if (hit) hit.refreshingSince = now;
    let value: V;
    try {
      value = await load();
    } catch (err) {
      if (hit && this.options.staleIfError) {
        hit.refreshingSince = Date.now();
        console.warn("serving a stale cache entry: its refresh failed", String(err));
        return hit.value;
      }
      if (hit) hit.refreshingSince = undefined;
      throw err;
    }
    if (this.#entries.size >= MAX_ENTRIES && !this.#entries.has(key)) this.#entries.clear();
    this.#entries.set(key, { expires: Date.now() + ttlMs, value });
    return value;
  }

  /** Forgets everything: for changes made by this very isolate, which need not wait for the TTL. */
  clear(): void {
    this.#entries.clear();
  }
}
