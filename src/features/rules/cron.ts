import { lt } from "drizzle-orm";
import { ruleFirings } from "../../db/schema";
import { getDb } from "../../lib/db";
import { logError } from "../../lib/log";
import { Figures } from "../../reports/figures";
import { runOptimizer } from "../optimizer/run";
import { evaluateRule } from "./evaluate";
import { pruneNotifications, RULE_LOG_DAYS, sweepUnsentNotifications } from "./notify";
import { listRules, ruleOf } from "./queries";

/**
 * The cron's rules step (every 5 minutes): every enabled rule, on figures read once per campaign,
 * dimension and window; then the optimiser's weights. A rule that fails is logged and the others
 * still run.
 */
export async function runRulesCron(env: Env, now: number): Promise<void> {
  const db = getDb(env.DB);
  const figures = new Figures(db, now);
  for (const row of await listRules(db)) {
    if (!row.enabled) continue;
    try {
      await evaluateRule({ db, queue: env.SOURCE_POSTBACKS, now, figures }, ruleOf(row), true);
    } catch (err) {
      logError("rules: evaluation failed", row.id, String(err));
    }
  }
  try {
    await runOptimizer(db, now);
  } catch (err) {
    logError("optimizer: weights not recomputed", String(err));
  }
  await sweepUnsentNotifications(db, env.SOURCE_POSTBACKS, now);
  await pruneNotifications(db, now);
  await db.delete(ruleFirings).where(lt(ruleFirings.firedAt, now - RULE_LOG_DAYS * 86_400_000));
}
