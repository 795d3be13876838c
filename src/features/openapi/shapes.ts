import type { OpenAPIV3_1 } from "openapi-types";
import { z } from "zod";
import type { ErrorBody } from "../../lib/errors";
import type { Report } from "../../reports/queries";
import { CONVERSION_COLUMNS } from "../conversions/queries";

// The shapes below are checked against the types the handlers return (tsc fails on a drift).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(ok: Same<A, B>) => ok;

export const errorSchema = z.object({
  error: z.string().meta({ description: "For people; may be reworded" }),
  code: z
    .enum(["invalid_parameter", "unauthorized", "forbidden", "not_found", "conflict", "payload_too_large"])
    .or(z.enum(["unsupported_media_type", "rate_limited", "internal", "unavailable"])),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
same<z.infer<typeof errorSchema>, ErrorBody>(true);

const money = z.number().meta({ description: "Decimal amount in the account currency" });
const ratio = z.number().nullable();
const metricsSchema = z.object({
  visits: z.number(),
  clicks: z.number(),
  conversions: z.number(),
  revenue: money,
  pending: z.number(),
  pendingRevenue: money,
  cost: money,
  profit: money,
  cr: ratio,
  ctr: ratio,
  epc: money.nullable(),
  roi: ratio,
});
export const reportSchema = z.object({
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  groupBy: z.string(),
  rows: z.array(
    z
      .object({ key: z.union([z.number(), z.string(), z.boolean(), z.null()]), label: z.string() })
      .extend(metricsSchema.shape),
  ),
  totals: metricsSchema,
  engine: z.enum(["rollups", "raw"]),
  groupByLabel: z.string().nullable(),
});
same<Omit<z.infer<typeof reportSchema>, "from" | "to" | "tz" | "groupBy">, Report>(true);

/** A conversion as listed: the CSV export's columns, the same list. */
export const conversionSchema: OpenAPIV3_1.SchemaObject = {
  type: "object",
  properties: Object.fromEntries(
    CONVERSION_COLUMNS.map((col) => [
      col,
      col === "extra"
        ? { type: ["object", "null"], additionalProperties: { type: "string" } }
        : { type: ["string", "number", "null"] },
    ]),
  ),
  required: [...CONVERSION_COLUMNS],
};
