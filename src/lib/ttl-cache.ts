import { logWarn } from "./log";

/**
 * Per-isolate cache of values read from D1, so a hot path (the redirect, a postback) normally
 * does no D1 round trip before answering. The price is staleness: a change reaches an isolate
 * within ttlMs, plus at most REFRESH_GRACE_MS while one request re-reads an expired entry and
 * the others keep using the old one (so an expiry under load costs one query, not one per
 * request in flight). Values, not promises, are cached: a request must never await another
 * request's promise.
 *
 * Misses (undefined: an unknown id) are cached too, in a room of their own, so a scan of random
 * ids is answered from memory after the first look and can never push real entries out. Both
 * rooms are bounded and evict the least recently used entry (a Map keeps insertion order; a hit
 * moves its key to the end).
 */
const REFRESH_GRACE_MS = 1000;

interface Entry<V> {
  expires: number;
  value: V;
  refreshingSince?: number;
}

export interface TtlCacheLimits {
  /** Cached values (default 1,000). */
  maxEntries?: number;
  /** Cached misses (default 10,000: a few hundred KB of numeric keys). */
  maxMisses?: number;
  /**
   * When load() fails (D1 unavailable), an expired entry is served instead of the error, and
   * re-read after REFRESH_GRACE_MS (for the redirect: a click during a D1 outage still goes to
   * the offer it went to a moment ago, and its visit waits in the queue).
   */
  staleIfError?: boolean;
  /** The clock, epoch ms (default Date.now): tests move time on without waiting. */
  now?: () => number;
}

export class TtlCache<K, V> {
  readonly #entries = new Map<K, Entry<V>>();
  readonly #misses = new Map<K, Entry<V>>();
  readonly #maxEntries: number;
  readonly #maxMisses: number;
  readonly #staleIfError: boolean;
  readonly #now: () => number;

  constructor(limits: TtlCacheLimits = {}) {
    this.#maxEntries = limits.maxEntries ?? 1000;
    this.#maxMisses = limits.maxMisses ?? 10_000;
    this.#staleIfError = limits.staleIfError ?? false;
    this.#now = limits.now ?? Date.now;
  }

  /** The cached value of `key`, or load()'s (which may throw; nothing is cached then). */
  async get(key: K, ttlMs: number, load: () => Promise<V>): Promise<V> {
    if (ttlMs <= 0) return load();
    const now = this.#now();
    const hit = this.#touch(key);
    if (hit && hit.expires > now) return hit.value;
    if (hit?.refreshingSince !== undefined && now - hit.refreshingSince < REFRESH_GRACE_MS) return hit.value;
    if (hit) hit.refreshingSince = now;
    let value: V;
    try {
      value = await load();
    } catch (err) {
      if (hit && this.#staleIfError) {
        hit.refreshingSince = this.#now();
        logWarn("serving a stale cache entry: its refresh failed", String(err));
        return hit.value;
      }
      if (hit) hit.refreshingSince = undefined;
      throw err;
    }
    this.#entries.delete(key);
    this.#misses.delete(key);
    const [room, max] = value === undefined ? [this.#misses, this.#maxMisses] : [this.#entries, this.#maxEntries];
    room.set(key, { expires: this.#now() + ttlMs, value });
    if (room.size > max) room.delete(room.keys().next().value as K);
    return value;
  }

  /** Entries and misses held now (for tests of the bounds). */
  get size(): { entries: number; misses: number } {
    return { entries: this.#entries.size, misses: this.#misses.size };
  }

  /** Forgets everything: for changes made by this very isolate, which need not wait for the TTL. */
  clear(): void {
    this.#entries.clear();
    this.#misses.clear();
  }

  /** The entry of `key`, moved to the most recently used end of its room. */
  #touch(key: K): Entry<V> | undefined {
    for (const room of [this.#entries, this.#misses]) {
      const entry = room.get(key);
      if (entry) {
        room.delete(key);
        room.set(key, entry);
        return entry;
      }
    }
    return undefined;
  }
}
