import { z } from "zod";
import { amountSchema } from "../../lib/money";
import { nameSchema } from "../../lib/names";
import { urlTemplateSchema } from "../../lib/url-template";
import type { Payout } from "./queries";

/** Offer URLs: http(s), tokens only after the host (lib/url-template.ts). */
export const offerUrlSchema = urlTemplateSchema;

/** `{"mode":"auto"}` or `{"mode":"manual","amount":1.5}`, read into the stored shape (micro-units). */
export const payoutSchema = z
  .discriminatedUnion("mode", [
    z.strictObject({ mode: z.literal("auto") }),
    z.strictObject({ mode: z.literal("manual"), amount: amountSchema }),
  ])
  .transform((p): Payout => (p.mode === "manual" ? { mode: "manual", amountMicros: p.amount } : { mode: "auto" }));

/** POST /api/offers, and both offer forms through offerForm. */
export const offerBody = z.strictObject({
  name: nameSchema,
  url: offerUrlSchema,
  payout: payoutSchema.default({ mode: "auto" }),
});

// No defaults here: a field left out of a PATCH keeps its value.
export const offerPatch = z
  .object({ name: nameSchema, url: offerUrlSchema, payout: payoutSchema, archived: z.boolean() })
  .partial()
  .strict();

/** The form as the API body: a payout mode menu and an amount field used in manual mode. */
export const offerForm = z.preprocess((input) => {
  const form = input as Record<string, string | undefined>;
  const payout =
    form.payoutMode === "manual" ? { mode: "manual", amount: form.amount ?? "" } : { mode: form.payoutMode };
  return { name: form.name, url: form.url, payout };
}, offerBody);

export const OFFER_LABELS = { name: "Name", url: "URL", payout: "Payout", "payout.amount": "Amount" };
