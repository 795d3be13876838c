import { z } from "zod";
import { postbackLog } from "../../db/schema";
import { pageFields } from "../../lib/params";

/** What became of a hit, as the table's column allows it: the one list (API filter, page filter, writer). */
export const LOG_STATUSES = postbackLog.status.enumValues;
export type LogStatus = (typeof LOG_STATUSES)[number];

/** GET /api/postbacks, and the log page's filter and paging links. */
export const logQuery = z.object({
  ...pageFields,
  status: z.enum(LOG_STATUSES).optional(),
});

export const LOG_LABELS = { status: "Result", cursor: "Page", limit: "Entries per page" };
