import { z } from "zod";
import { amountSchema } from "../../lib/money";
import { nameSchema } from "../../lib/names";
import type { Payout } from "./queries";

export const offerUrlSchema = z
  .string()
  .trim()
  .max(4096)
  .refine((value) => {
    try {
      // Tokens such as {clickid} are not valid in a hostname, so check the URL with them blanked.
      const url = new URL(value.replace(/\{[^{}]*\}/g, "x"));
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an absolute http:// or https:// URL");

/** `{"mode":"auto"}` or `{"mode":"manual","amount":1.5}`, read into the stored shape (micro-units). */
export const payoutSchema = z
  .discriminatedUnion("mode", [
    z.object({ mode: z.literal("auto") }),
    z.object({ mode: z.literal("manual"), amount: amountSchema }),
  ])
  .transform((p): Payout => (p.mode === "manual" ? { mode: "manual", amountMicros: p.amount } : { mode: "auto" }));

/** POST /api/offers, and both offer forms through offerForm. */
export const offerBody = z.object({
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
