import {
  consumeSourcePostbackDeadLetters,
  consumeSourcePostbacks,
  SOURCE_POSTBACK_DLQ,
  SOURCE_POSTBACK_QUEUE,
} from "./delivery/consumer";
import { withNotifications } from "./features/rules/notify";
import { logError } from "./lib/log";
import { consumeDeadLetters, consumeVisits, VISIT_DLQ_NAME, VISIT_QUEUE_NAME } from "./visits/consumer";

/** The worker's queue() entry: routes a batch to its queue's consumer. */
export async function handleQueue(batch: MessageBatch, env: Env): Promise<void> {
  if (batch.queue === VISIT_QUEUE_NAME) return consumeVisits(batch, env);
  if (batch.queue === VISIT_DLQ_NAME) return consumeDeadLetters(batch, env);
  // Rules' notify deliveries share the source-postback queue and its retries (features/rules/notify.ts).
  if (batch.queue === SOURCE_POSTBACK_QUEUE) return withNotifications(batch, env, consumeSourcePostbacks);
  if (batch.queue === SOURCE_POSTBACK_DLQ) return withNotifications(batch, env, consumeSourcePostbackDeadLetters, true);
  logError("message batch from an unknown queue left for retry", batch.queue);
  batch.retryAll();
}
