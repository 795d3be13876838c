import { z } from "zod";
import type { StoredCostModel } from "../db/schema";
import { microsToDecimal, nonNegativeAmountSchema } from "../lib/money";

export type { StoredCostModel };

/** A CPM's visit share (amount ÷ 1,000) must be a whole micro-unit: at most 3 decimal places. */
const cpmAmount = nonNegativeAmountSchema.refine(
  (micros) => micros % 1000 === 0,
  "a CPM may have at most 3 decimal places (each visit costs a thousandth of it, in whole micro-units)",
);

/** Percent of revenue, 0–100 with at most 4 decimals, as millionths of revenue. */
const percent = nonNegativeAmountSchema
  .refine((micros) => micros <= 100_000_000, "must be at most 100")
  .refine((micros) => micros % 100 === 0, "may have at most 4 decimal places")
  .transform((micros) => micros / 100);

export const COST_TYPES = ["cpc", "cpm", "cpa", "revshare", "auto", "none"] as const;

/** docs/costs.md: how a campaign's visits cost; one rule for the API and the campaign form. */
export const costModelSchema = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({ type: z.literal("cpc"), amount: nonNegativeAmountSchema }),
      z.strictObject({ type: z.literal("cpm"), amount: cpmAmount }),
      z.strictObject({ type: z.literal("cpa"), amount: nonNegativeAmountSchema }),
      z.strictObject({ type: z.literal("revshare"), percent }),
      z.strictObject({ type: z.literal("auto"), amount: nonNegativeAmountSchema.nullable().optional() }),
      z.strictObject({ type: z.literal("none") }),
    ],
    { error: `type must be one of ${COST_TYPES.join(", ")}` },
  )
  .transform((m): StoredCostModel => {
    if (m.type === "revshare") return { type: "revshare", sharePpm: m.percent };
    if (m.type === "none") return { type: "none" };
    if (m.type === "auto") return { type: "auto", amountMicros: m.amount ?? null };
    return { type: m.type, amountMicros: m.amount };
  });

/** No model stored: the source's cost parameter when the visit carries one, else nothing. */
export const DEFAULT_COST_MODEL: StoredCostModel = { type: "auto", amountMicros: null };

export const costModelOf = (stored: StoredCostModel | null): StoredCostModel => stored ?? DEFAULT_COST_MODEL;

/** The cost of one visit at the click, in micro-units; cpa and revshare cost at the conversion. */
export function visitCostMicros(stored: StoredCostModel | null, sourceCostMicros: number | null): number {
  const model = costModelOf(stored);
  switch (model.type) {
    case "cpc":
      return model.amountMicros;
    case "cpm":
      return model.amountMicros / 1000;
    case "auto":
      return sourceCostMicros ?? model.amountMicros ?? 0;
    default:
      return 0;
  }
}

/** What campaign_cost_models keeps of a model: its per-conversion terms. */
export function conversionTerms(stored: StoredCostModel | null): { cpaMicros: number; sharePpm: number } {
  const model = costModelOf(stored);
  return {
    cpaMicros: model.type === "cpa" ? model.amountMicros : 0,
    sharePpm: model.type === "revshare" ? model.sharePpm : 0,
  };
}

/** The API's shape: decimals at the edge. */
export function costModelJson(stored: StoredCostModel | null) {
  const model = costModelOf(stored);
  switch (model.type) {
    case "revshare":
      return { type: model.type, percent: model.sharePpm / 10_000 };
    case "none":
      return { type: model.type };
    case "auto":
      return { type: model.type, amount: model.amountMicros === null ? null : microsToDecimal(model.amountMicros) };
    default:
      return { type: model.type, amount: microsToDecimal(model.amountMicros) };
  }
}

/** docs/costs.md: `costPerClick` stays the shorthand of a cpc model. */
export const costPerClickOf = (stored: StoredCostModel | null): number | null =>
  stored?.type === "cpc" ? microsToDecimal(stored.amountMicros) : null;

/** The campaign form's two fields as the API's costModel (blank type: auto). */
export function formCostModel(form: Record<string, string | undefined>): unknown {
  const type = form.costType?.trim() || "auto";
  const value = form.costValue?.trim() ?? "";
  if (type === "none") return { type };
  if (type === "revshare") return { type, percent: value };
  if (type === "auto") return { type, amount: value === "" ? null : value };
  return { type, amount: value };
}

/** The form's two fields from a stored model. */
export function costFormValues(stored: StoredCostModel | null): { costType: string; costValue: string } {
  const json = costModelJson(stored);
  const value = "percent" in json ? json.percent : "amount" in json ? json.amount : null;
  return { costType: json.type, costValue: value === null ? "" : String(value) };
}

/** One line for the campaign list: "CPC 0.02", "Revshare 40%", "Auto (source), else 0.01". */
export function costModelLabel(stored: StoredCostModel | null): string {
  const model = costModelOf(stored);
  switch (model.type) {
    case "revshare":
      return `Revshare ${model.sharePpm / 10_000}%`;
    case "none":
      return "None";
    case "auto":
      return model.amountMicros === null
        ? "Auto (source's cost)"
        : `Auto (source's cost), else ${microsToDecimal(model.amountMicros)}`;
    default:
      return `${model.type.toUpperCase()} ${microsToDecimal(model.amountMicros)}`;
  }
}
