import { z } from "zod";
import { pageFields } from "../../lib/params";
import { DELIVERY_STATES } from "../../model/status";

export { DELIVERY_STATES, type DeliveryState } from "../../model/status";

/** GET /api/source-postbacks, and the log page's filter and paging links. */
export const deliveryQuery = z.object({
  status: z.enum(DELIVERY_STATES).optional(),
  ...pageFields,
});

export const DELIVERY_LABELS = { status: "Status", cursor: "Page", limit: "Entries per page" };
