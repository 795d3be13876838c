/**
 * Per-isolate cache of values read from D1, so a hot path (the redirect, a postback) normally
 * does no D1 round trip before answering. The price is staleness: a change reaches an isolate
 * within ttlMs, plus at most REFRESH_GRACE_MS while one request re-reads an expired entry and
 * the others keep using the old one (so an expiry under load costs one query, not one per
 * request in flight). Values, not promises, are cached: a request must never await another
 * request's promise. Misses (undefined) are cached too; the map is bounded against id scans.
 */
const REFRESH_GRACE_MS = 1000;
const MAX_ENTRIES = 1000;

interface Entry<V> {
  expires: number;
  value: V;
  refreshingSince?: number;
}

export class TtlCache<K, V> {
  readonly #entries = new Map<K, Entry<V>>();

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
