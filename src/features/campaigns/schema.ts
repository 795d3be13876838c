import { z } from "zod";
import { flowSchema } from "../../click/flow-schema";
import type { Db } from "../../lib/db";
import { fieldsError } from "../../lib/errors";
import { nonNegativeAmountSchema } from "../../lib/money";
import { nameSchema } from "../../lib/names";
import { costModelSchema, formCostModel, type StoredCostModel } from "../../model/cost-model";
import { optimizeSchema } from "../../model/optimize";
import { getOffersByIds } from "../offers/queries";
import { unusableSource } from "../traffic-sources/queries";
import type { CampaignInput, WeightedOffer } from "./queries";

export const MAX_WEIGHT = 10_000;
export const MAX_CAMPAIGN_OFFERS = 50;

const weightRule = `weights are whole numbers from 0 to ${MAX_WEIGHT}`;
// abort: a bad weight is one issue, as "1.5" typed in the form is, not also "none above 0".
const weight = z
  .number({ error: weightRule })
  .int({ error: weightRule, abort: true })
  .min(0, { error: weightRule, abort: true })
  .max(MAX_WEIGHT, { error: `weights are at most ${MAX_WEIGHT}`, abort: true });

/** The rotation: each offer once, weights 0–10,000, at least one above 0. */
export const weightedOffers = z
  .array(z.strictObject({ offerId: z.number().int().positive(), weight: weight.default(100) }))
  .min(1, "give at least one offer a weight")
  .max(MAX_CAMPAIGN_OFFERS, `at most ${MAX_CAMPAIGN_OFFERS} offers per campaign`)
  .refine((list) => new Set(list.map((o) => o.offerId)).size === list.length, "each offer may appear only once")
  .refine((list) => list.length === 0 || list.some((o) => o.weight > 0), "at least one offer needs a weight above 0");

const campaignFields = z.strictObject({
  name: nameSchema,
  offers: weightedOffers,
  flow: flowSchema,
  costModel: costModelSchema.optional(),
  // docs/costs.md: the shorthand of {"type":"cpc"}; null: no model (auto, the source's cost or 0).
  costPerClick: nonNegativeAmountSchema.nullable().optional(),
  // null: no traffic source; checked against storage by checkSource.
  trafficSourceId: z.number().int().positive().max(0xffffffff).nullable().optional(),
  // The offer rotation learns from its figures (docs/rules.md); null: fixed weights.
  optimize: optimizeSchema.nullable().optional(),
});

/** A campaign rotates `offers` or routes through a `flow` (docs/tracking.md): never both. */
const oneRouting =
  (required: boolean) =>
  (body: { offers?: unknown; flow?: unknown; costModel?: unknown; costPerClick?: unknown }, ctx: z.RefinementCtx) => {
    if (body.costModel !== undefined && body.costPerClick !== undefined)
      ctx.addIssue({ code: "custom", path: ["costPerClick"], message: "give costModel or costPerClick, not both" });
    if (body.offers !== undefined && body.flow !== undefined)
      ctx.addIssue({ code: "custom", path: ["flow"], message: "give offers or a flow, not both" });
    else if (required && body.offers === undefined && body.flow === undefined)
      ctx.addIssue({ code: "custom", path: ["offers"], message: "give offers, or a flow" });
  };

/** POST /api/campaigns, and both campaign forms through campaignForm (the flow has its own editor). */
export const campaignBody = campaignFields.partial({ offers: true, flow: true }).superRefine(oneRouting(true));

export const campaignPatch = campaignFields
  .partial()
  .extend({ archived: z.boolean().optional() })
  .strict()
  .superRefine(oneRouting(false));

/** What the queries take: a decimal costPerClick becomes micro-units (null: no click cost); the flow is checked apart. */
export function campaignInput(body: Omit<z.output<typeof campaignBody>, "flow">): CampaignInput {
  return {
    name: body.name,
    offers: body.offers ?? [],
    costModel: storedModel(body) ?? null,
    trafficSourceId: body.trafficSourceId ?? null,
    // Left out when not given, so a form that does not show it keeps what the API set.
    ...(body.optimize !== undefined && { optimize: body.optimize }),
  };
}

/** The model a body sets: costModel, or costPerClick as a cpc (null: none stored); undefined: unchanged. */
export function storedModel(body: {
  costModel?: StoredCostModel;
  costPerClick?: number | null;
}): StoredCostModel | null | undefined {
  if (body.costModel !== undefined) return body.costModel;
  if (body.costPerClick === undefined) return undefined;
  return body.costPerClick === null ? null : { type: "cpc", amountMicros: body.costPerClick };
}

/** The form's fields: one `weight_<offerId>` per offer, blank = not in this campaign. */
export function formOffers(form: Record<string, string | undefined>): { offerId: number; weight: string }[] {
  return Object.entries(form)
    .filter(([key, value]) => /^weight_\d+$/.test(key) && value !== undefined && value.trim() !== "")
    .map(([key, value]) => ({ offerId: Number(key.slice(7)), weight: value!.trim() }));
}

/** The form as the API body; a weight that is not digits stays text, so the rule refuses it by name. */
export const campaignForm = z.preprocess((input) => {
  const form = input as Record<string, string | undefined>;
  return {
    name: form.name,
    costModel: formCostModel(form),
    // The select sends "" for none; anything but digits stays text, so the rule refuses it by name.
    trafficSourceId: !form.trafficSourceId
      ? null
      : /^\d+$/.test(form.trafficSourceId)
        ? Number(form.trafficSourceId)
        : form.trafficSourceId,
    offers: formOffers(form).map((o) => ({ ...o, weight: /^\d+$/.test(o.weight) ? Number(o.weight) : o.weight })),
  };
}, campaignBody);

export const CAMPAIGN_LABELS = {
  name: "Name",
  costModel: "Cost model",
  "costModel.amount": "Cost amount",
  "costModel.percent": "Revenue share (%)",
  costPerClick: "Cost per click",
  trafficSourceId: "Traffic source",
  offers: "Offers",
};

/** Every offer of the rotation exists and is not archived; else a 400 naming each (API and form). */
export async function checkOffers(db: Db, list: WeightedOffer[]): Promise<void> {
  const found = await getOffersByIds(
    db,
    list.map((o) => o.offerId),
  );
  const issues = list.flatMap((o, i) =>
    found.some((f) => f.id === o.offerId && !f.archived)
      ? []
      : [{ path: `offers[${i}].offerId`, message: `offer ${o.offerId} does not exist or is archived` }],
  );
  if (issues.length > 0) throw fieldsError(issues);
}

/**
 * The traffic source exists and is live; else a 400 naming trafficSourceId (API and form). A
 * campaign keeps its `current` source after that source is archived: its links are already out.
 */
export async function checkSource(db: Db, id: number | null | undefined, current: number | null = null): Promise<void> {
  if (id === undefined || id === null) return;
  const message = await unusableSource(db, id, current);
  if (message) throw fieldsError([{ path: "trafficSourceId", message }]);
}
