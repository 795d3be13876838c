import { z } from "zod";
import { DELIVERY_STATES } from "../../db/schema";
import { pageFields } from "../../lib/params";

export type DeliveryState = (typeof DELIVERY_STATES)[number];
export { DELIVERY_STATES };

/** GET /api/source-postbacks, and the log page's filter and paging links. */
export const deliveryQuery = z.object({
  status: z.enum(DELIVERY_STATES).optional(),
  ...pageFields,
});

export const DELIVERY_LABELS = { status: "Status", cursor: "Page", limit: "Entries per page" };
