import { z } from "zod";
import { urlTemplateSchema } from "../../lib/url-template";

/** Calls to action a lander may have: /click/1 … /click/50 (a path holds at most 50 offers). */
export const MAX_LANDER_OFFERS = 50;

const name = z.string().trim().min(1, "is required").max(200);
const offerCount = z.number().int().min(1).max(MAX_LANDER_OFFERS);

const landerFields = z.object({ name, url: urlTemplateSchema, offerCount });

/** POST /api/landers. */
export const landerBody = landerFields.extend({ offerCount: offerCount.default(1) });

/** PATCH /api/landers/:id: any part, no defaults (zod 4 would fill a default into an absent field). */
export const landerPatch = landerFields.partial().extend({ archived: z.boolean().optional() }).strict();

/** The admin form: the same rules, offerCount arriving as text. */
export const landerForm = landerFields.extend({
  offerCount: z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, "must be a whole number")
    .transform(Number)
    .pipe(offerCount),
});

export type LanderInput = z.output<typeof landerBody>;
export const LANDER_LABELS = { name: "Name", url: "URL", offerCount: "Calls to action" };
