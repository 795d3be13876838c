import { logError } from "../lib/log";
import { aggregateAttributes } from "./aggregate";
import { archiveDueDays } from "./archive";
import { replayDeadLetters } from "./consumer";
import { applyConversionEvents } from "./events";
import { applyOrphans, foldClosedDays, foldClosedQuarters, pruneMessageIds } from "./maintenance";

/**
 * The Cron Trigger (every 5 minutes, wrangler.toml): each step is idempotent and logs its own
 * failure, so one failing step does not stop the others and the next run catches up.
 */
export async function runScheduled(env: Env, now = Date.now()): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    ["replay dead letters", () => replayDeadLetters(env)],
    ["apply conversion events", () => applyConversionEvents(env.DB)],
    ["aggregate attributes", () => aggregateAttributes(env.DB, now)],
    ["fold quarters", () => foldClosedQuarters(env.DB, now)],
    ["fold days", () => foldClosedDays(env.DB)],
    ["apply orphans", () => applyOrphans(env.DB, now)],
    ["prune message ids", () => pruneMessageIds(env.DB, now)],
    // After the fold: archived days must already be in the daily rollups (they are, either way).
    ["archive raw visits", () => archiveDueDays(env, now)],
  ];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (err) {
      logError(`scheduled: ${name} failed`, String(err));
    }
  }
}
