import { z } from "zod";
import { amountSchema } from "../../lib/money";
import { urlTemplateSchema } from "../../lib/url-template";

/** Offer URLs: http(s), tokens only after the host (lib/url-template.ts). */
export const offerUrlSchema = urlTemplateSchema;

export const payoutSchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("auto") }),
  z.strictObject({ mode: z.literal("manual"), amount: amountSchema }),
]);

export const offerBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  url: offerUrlSchema,
  payout: payoutSchema.default({ mode: "auto" }),
});
