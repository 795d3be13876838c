import { z } from "zod";
import { keyedRecord } from "../../lib/keyed-record";
import { nonNegativeAmountSchema } from "../../lib/money";
import { parseDay, timeZoneSchema } from "../../lib/timezone";
import { daySchema, MAX_RANGE_DAYS } from "../../reports/range";
import { ATTRIBUTE_DIMS } from "../../visits/dims";

/** What an update may be narrowed by: the report's filters below the campaign (docs/reports-storage.md, docs/costs.md). */
const ENTITY_FILTERS = ["offerId", "landerId", "path"];
export const COST_UPDATE_FILTERS = [...ENTITY_FILTERS, ...ATTRIBUTE_DIMS.map((d) => d.name)];
export const MAX_FILTER_VALUE = 256;

/** The attribute filters among `filters` (report dimensions below the campaign's entities). */
export const attributeKeys = (filters: Record<string, string>) =>
  Object.keys(filters).filter((k) => !ENTITY_FILTERS.includes(k));

const filters = keyedRecord(z.string()).superRefine((record, ctx) => {
  // Rollups hold one attribute per row: two would make every report read raw visits.
  if (attributeKeys(record).length > 1)
    ctx.addIssue({
      code: "custom",
      message: `at most one attribute (${attributeKeys(record).join(", ")} given); offerId, landerId and path may be added`,
    });
  for (const [key, value] of Object.entries(record)) {
    if (!COST_UPDATE_FILTERS.includes(key))
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `unknown filter; use one of ${COST_UPDATE_FILTERS.join(", ")}`,
      });
    else if (value.length > MAX_FILTER_VALUE)
      ctx.addIssue({ code: "custom", path: [key], message: `at most ${MAX_FILTER_VALUE} characters` });
    else if (ENTITY_FILTERS.includes(key) && !/^[1-9]\d{0,9}$/.test(value))
      ctx.addIssue({ code: "custom", path: [key], message: "must be an id (a whole number)" });
  }
});

/** POST /api/cost-updates and the admin form (docs/costs.md): one rule for both. */
export const costUpdateBody = z
  .strictObject({
    campaignId: z.number().int().positive().max(0xffffffff),
    from: daySchema,
    to: daySchema,
    // Absent: the settings' time zone.
    tz: timeZoneSchema.optional(),
    amount: nonNegativeAmountSchema,
    filters: filters.default({}),
  })
  .superRefine((body, ctx) => {
    const from = parseDay(body.from);
    const to = parseDay(body.to);
    if (from === null || to === null) return;
    if (to < from) ctx.addIssue({ code: "custom", path: ["to"], message: `must not be before from (${body.from})` });
    else if (to - from + 1 > MAX_RANGE_DAYS)
      ctx.addIssue({ code: "custom", path: ["to"], message: `an update may span at most ${MAX_RANGE_DAYS} days` });
  });

export type CostUpdateBody = z.output<typeof costUpdateBody>;

/** Filter rows the form shows (each a dimension and a value). */
export const FORM_FILTER_ROWS = 3;

/** The form's text fields as the API body; what is not a number stays text, so the rule names it. */
export const costUpdateForm = z.preprocess((input) => {
  const form = input as Record<string, string | undefined>;
  const filterEntries: [string, string][] = [];
  for (let i = 1; i <= FORM_FILTER_ROWS; i++) {
    const key = form[`filter${i}`]?.trim();
    if (key) filterEntries.push([key, form[`value${i}`]?.trim() ?? ""]);
  }
  const id = form.campaignId?.trim() ?? "";
  return {
    campaignId: /^\d+$/.test(id) ? Number(id) : id,
    from: form.from?.trim(),
    to: form.to?.trim(),
    tz: form.tz?.trim() || undefined,
    amount: form.amount?.trim(),
    filters: Object.fromEntries(filterEntries),
  };
}, costUpdateBody);

export const COST_UPDATE_LABELS = {
  campaignId: "Campaign",
  from: "From",
  to: "To",
  tz: "Time zone",
  amount: "Total cost",
  filters: "Filters",
};
