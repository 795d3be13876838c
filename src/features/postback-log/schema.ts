import { z } from "zod";
import { pageFields } from "../../lib/params";
import { LOG_STATUSES } from "../../model/status";

export { LOG_STATUSES, type LogStatus } from "../../model/status";

/** GET /api/postbacks, and the log page's filter and paging links. */
export const logQuery = z.object({
  ...pageFields,
  status: z.enum(LOG_STATUSES).optional(),
});

export const LOG_LABELS = { status: "Result", cursor: "Page", limit: "Entries per page" };
