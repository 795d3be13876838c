import { enqueue } from "../../delivery/create";
import { getDelivery, reopenFailed } from "../../delivery/queries";
import type { Db } from "../../lib/db";
import { ApiError } from "../../lib/errors";
import { logWarn } from "../../lib/log";

/**
 * Sends a failed delivery again, with a fresh round of retries: 404 for an unknown id, 409 when
 * it is not failed (pending ones are still being tried, delivered ones need nothing).
 */
export async function retryDelivery(db: Db, env: Env, id: string) {
  const now = Date.now();
  const row = await reopenFailed(db, id, now);
  if (!row) {
    const current = await getDelivery(db, id);
    if (!current) throw new ApiError("not_found", "Delivery not found");
    throw new ApiError("conflict", `Only a failed delivery can be retried; this one is ${current.state}`);
  }
  // Should the send fail, the delivery stays pending with enqueued_at null and the cron sends it.
  await enqueue(env.DB, env.SOURCE_POSTBACKS, [row.id], now).catch((err) =>
    logWarn("source postbacks: retry not queued yet, the cron will", String(err)),
  );
  return (await getDelivery(db, id)) ?? row;
}
