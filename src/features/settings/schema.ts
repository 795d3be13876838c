import { z } from "zod";
import { cidrListSchema } from "../../lib/cidr";
import { timeZoneSchema } from "../../lib/timezone";

export const MAX_SECRET_LENGTH = 256;

/** PATCH /api/settings, and the settings form through settingsForm below. */
export const settingsPatch = z
  .object({
    // null (or "") clears the secret.
    postbackSecret: z
      .string()
      .max(MAX_SECRET_LENGTH)
      .nullable()
      .transform((s) => (s === null || s.trim() === "" ? null : s.trim())),
    postbackAllowedIps: cidrListSchema,
    timezone: timeZoneSchema,
  })
  .partial()
  .strict();

/** The form's text fields as the API body: one IP range per line (commas and spaces also split). */
export const settingsForm = z.preprocess((input) => {
  const form = input as Record<string, string | undefined>;
  return {
    postbackSecret: form.postbackSecret ?? null,
    postbackAllowedIps: (form.postbackAllowedIps ?? "").split(/[\s,]+/).filter(Boolean),
    timezone: form.timezone,
  };
}, settingsPatch);

export const SETTINGS_LABELS = {
  postbackSecret: "Postback secret",
  postbackAllowedIps: "Allowed IPs",
  timezone: "Time zone",
};
