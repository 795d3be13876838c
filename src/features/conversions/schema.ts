import { z } from "zod";
import { rangeQuery } from "../../reports/range";
import { MAX_LIMIT } from "./queries";

export const conversionsQuery = rangeQuery.extend({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).optional(),
  cursor: z.string().max(1000).optional(),
  format: z.enum(["json", "csv"]).default("json"),
  // Only conversions now in this status.
  status: z.enum(["approved", "pending", "rejected"]).optional(),
});
