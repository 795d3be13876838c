import { z } from "zod";
import { DELIVERY_STATES } from "../../db/schema";

export type DeliveryState = (typeof DELIVERY_STATES)[number];
export { DELIVERY_STATES };

/** GET /api/source-postbacks, and the log page's filter and paging links. */
export const deliveryQuery = z.object({
  status: z.enum(DELIVERY_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, "must be a nextCursor from an earlier page")
    .transform(Number)
    .optional(),
});

export const DELIVERY_LABELS = { status: "Status", cursor: "Page", limit: "Entries per page" };
