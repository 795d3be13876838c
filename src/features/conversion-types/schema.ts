import { z } from "zod";
import { CONVERSION_TYPE_NAME } from "../../model/conversion-type";

export { CONVERSION_TYPE_NAME };

export const conversionTypeName = z
  .string()
  .trim()
  .regex(CONVERSION_TYPE_NAME, "must be 1-64 characters of A-Z, a-z, 0-9, _ or -");

/** POST /api/conversion-types, and both forms through conversionTypeForm. */
export const conversionTypeBody = z.strictObject({
  name: conversionTypeName,
  includeInConversions: z.boolean().default(true),
});

// No defaults here: a field left out of a PATCH keeps its value.
export const conversionTypePatch = z
  .object({ name: conversionTypeName, includeInConversions: z.boolean(), archived: z.boolean() })
  .partial()
  .strict();

/** The form as the API body: a checkbox sends "on" when ticked and nothing otherwise. */
export const conversionTypeForm = z.preprocess((input) => {
  const form = input as Record<string, string | undefined>;
  return { name: form.name, includeInConversions: form.includeInConversions === "on" };
}, conversionTypeBody);

export const TYPE_LABELS = { name: "Name" };
