import { z } from "zod";
import { nameSchema } from "../../lib/names";
import { urlTemplateSchema } from "../../lib/url-template";

/** Calls to action a lander may have: /click/1 … /click/50 (a path holds at most 50 offers). */
export const MAX_LANDER_OFFERS = 50;

const offerCount = z
  .number({ error: "must be a whole number" })
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(MAX_LANDER_OFFERS, `must be at most ${MAX_LANDER_OFFERS}`);

/** POST /api/landers, and both lander forms through landerForm. */
export const landerBody = z.strictObject({
  name: nameSchema,
  url: urlTemplateSchema,
  offerCount: offerCount.default(1),
});

// No defaults here: a field left out of a PATCH keeps its value.
export const landerPatch = z
  .object({ name: nameSchema, url: urlTemplateSchema, offerCount, archived: z.boolean() })
  .partial()
  .strict();

/** The form as the API body; an offer count that is not digits stays text, so the rule refuses it by name. */
export const landerForm = z.preprocess((input) => {
  const form = input as Record<string, string | undefined>;
  const count = form.offerCount?.trim() ?? "";
  return { name: form.name, url: form.url, offerCount: /^\d{1,6}$/.test(count) ? Number(count) : count };
}, landerBody);

export type LanderInput = z.output<typeof landerBody>;
export const LANDER_LABELS = { name: "Name", url: "URL", offerCount: "Calls to action" };
