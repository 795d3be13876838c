/**
 * When a delivery is tried again (docs/conversions.md). Retry n waits RETRY_DELAYS_S[n - 1] seconds: the
 * first within 30 s, then minutes, then hours; 12 h is the longest delay Queues accepts. In all
 * 100,270 s (27 h 51 min) pass between the first call and the last, so a network that is down
 * for a day still gets the conversion. wrangler.toml's max_retries must equal the list's length:
 * the failure after the last retry sends the message to the dead-letter queue.
 */
export const RETRY_DELAYS_S = [10, 60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 43_200] as const;

/** Calls made before a delivery is given up: the first, then one per retry. */
export const MAX_ATTEMPTS = RETRY_DELAYS_S.length + 1;

const MAX_DELAY_S = 43_200;

/**
 * The delay after the `attempt`-th call failed (message.attempts, from 1). A Retry-After the
 * network sent with its 429 or 503 is honoured when it asks for longer, up to 12 hours.
 */
export function retryDelaySeconds(attempt: number, retryAfterS: number | null = null): number {
  const planned = RETRY_DELAYS_S[Math.min(Math.max(attempt, 1), RETRY_DELAYS_S.length) - 1]!;
  return Math.min(Math.max(planned, retryAfterS ?? 0), MAX_DELAY_S);
}

/** How long a delivery waits for its visit to reach D1 before it fails naming the missing visit. */
export const VISIT_WAIT_MS = 24 * 60 * 60 * 1000;

/** Waits for a visit not stored yet: 10 s, 30 s, 1 min, 2 min, 5 min, then every 15 minutes. */
export function visitWaitSeconds(waits: number): number {
  const steps = [10, 30, 60, 120, 300];
  return steps[waits] ?? 900;
}
