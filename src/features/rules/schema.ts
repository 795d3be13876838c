import { z } from "zod";
import { nameSchema } from "../../lib/names";
import { DIMENSIONS } from "../../model/dimensions";

/**
 * A rule (docs/rules.md): the one schema of POST/PATCH /api/rules and of the admin form, which
 * sends the same body. Dimensions are the report's own; metrics are report row fields.
 */
export const RULE_METRICS = [
  "visits",
  "clicks",
  "conversions",
  "revenue",
  "cost",
  "profit",
  "cr",
  "epc",
  "roi",
  "ctr",
] as const;
export type RuleMetric = (typeof RULE_METRICS)[number];
export const RULE_OPS = [">", ">=", "<", "<=", "="] as const;
export type RuleOp = (typeof RULE_OPS)[number];
export const ACTION_TYPES = ["blocklist", "pause", "notify"] as const;
/** Dimensions whose values a pause can take out of a campaign's rotation. */
export const PAUSE_DIMENSIONS = ["offer", "lander", "path"] as const;
export const MAX_CONDITIONS = 10;
export const MAX_WINDOW_HOURS = 720;

const id = z.number().int().positive().max(0xffffffff);

export const conditionSchema = z.strictObject({
  metric: z.enum(RULE_METRICS, { error: `must be one of ${RULE_METRICS.join(", ")}` }),
  op: z.enum(RULE_OPS, { error: `must be one of ${RULE_OPS.join(" ")}` }),
  value: z.number({ error: "must be a number" }).finite(),
});

const webhookUrl = z
  .string()
  .max(2000, "must be at most 2,000 characters")
  .refine((u) => /^https?:$/.test(URL.parse(u)?.protocol ?? ""), "must be an http(s) URL");

export const actionSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("blocklist") }),
    z.strictObject({ type: z.literal("pause") }),
    z.strictObject({ type: z.literal("notify"), url: webhookUrl }),
  ],
  { error: `type must be one of ${ACTION_TYPES.join(", ")}` },
);

const fields = z.strictObject({
  name: nameSchema,
  campaignIds: z
    .array(id)
    .min(1, "give at least one campaign, or leave campaignIds out for every campaign")
    .max(1000)
    .nullable()
    .optional(),
  dimension: z.enum(DIMENSIONS, { error: `must be one of ${DIMENSIONS.join(", ")}` }),
  window: z.strictObject({
    hours: z
      .number({ error: "must be a number of hours" })
      .int("must be whole hours")
      .min(1, "must be at least 1")
      .max(MAX_WINDOW_HOURS, `must be at most ${MAX_WINDOW_HOURS}`),
  }),
  conditions: z.array(conditionSchema).min(1, "give at least one condition").max(MAX_CONDITIONS),
  action: actionSchema,
  enabled: z.boolean().default(true),
});

/** A pause needs an offer, lander or path dimension: said on `action`, where it is chosen. */
function pauseDimension(body: { dimension?: string; action?: { type: string } }, ctx: z.RefinementCtx) {
  if (
    body.action?.type === "pause" &&
    body.dimension &&
    !(PAUSE_DIMENSIONS as readonly string[]).includes(body.dimension)
  )
    ctx.addIssue({
      code: "custom",
      path: ["action", "type"],
      message: `pause works on the dimensions ${PAUSE_DIMENSIONS.join(", ")}, not ${body.dimension}`,
    });
}

export const ruleBody = fields.superRefine(pauseDimension);
export type RuleInput = z.output<typeof ruleBody>;

/** PATCH: any field; the result is checked as a whole again (rules/api.ts). */
export const rulePatch = fields.partial().strict();
export type RulePatch = z.output<typeof rulePatch>;

/** The check a patched rule must pass, the same as a new one. */
export const checkRule = (rule: unknown) => ruleBody.safeParse(rule);
