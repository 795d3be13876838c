import { z } from "zod";
import { amountSchema } from "../../lib/money";

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

export const payoutSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("auto") }),
  z.object({ mode: z.literal("manual"), amount: amountSchema }),
]);

export const offerBody = z.object({
  name: z.string().trim().min(1).max(200),
  url: offerUrlSchema,
  payout: payoutSchema.default({ mode: "auto" }),
});
