import { z } from "zod";
import { MAX_VAR_LENGTH } from "../model/vars";
import { ATTRIBUTE_DIMS } from "../visits/dims";
import { ORDER_FIELDS } from "./metrics";
import { rangeQuery } from "./range";
import { GROUP_BY } from "./types";

const id = z.coerce.number().int().positive().max(0xffffffff);
const day = rangeQuery.shape.from;
/** An attribute value as shown in a report row; "" selects visits without one. */
const value = z.string().max(MAX_VAR_LENGTH);

export const MAX_LIMIT = 10_000;

/** GET /api/report and the report page read the same query (docs/admin-api.md, docs/reports-storage.md). */
export const reportQuery = rangeQuery.extend({
  groupBy: z.enum(GROUP_BY).default("campaign"),
  trafficSourceId: id.optional(),
  offerId: id.optional(),
  landerId: id.optional(),
  path: id.optional(),
  day,
  hour: z.coerce.number().int().min(0).max(23).optional(),
  ...Object.fromEntries(ATTRIBUTE_DIMS.map((d) => [d.name, value.optional()])),
  // A type id, or "default" for conversions without a type.
  conversionType: z.union([z.literal("default"), id]).optional(),
  // Visits the click judged a bot (docs/tracking.md) or not.
  bot: z.enum(["true", "false"]).optional(),
  orderBy: z.enum(ORDER_FIELDS).optional(),
  order: z.enum(["asc", "desc"]).default("desc"),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(1000),
});

export type ReportQueryParams = z.infer<typeof reportQuery>;
