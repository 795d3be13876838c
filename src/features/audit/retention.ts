import { getDb } from "../../lib/db";
import { logError } from "../../lib/log";
import { pruneAudit } from "./queries";

/** The cron's step: entries past the retention go, a few chunks per run; a failure is logged and retried next run. */
export async function pruneAuditCron(env: Env, now: number): Promise<void> {
  try {
    await pruneAudit(getDb(env.DB), now);
  } catch (err) {
    logError("scheduled: prune audit log failed", String(err));
  }
}
