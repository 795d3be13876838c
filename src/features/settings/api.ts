import { Hono } from "hono";
import { z } from "zod";
import { normalizeCidr } from "../../lib/cidr";
import type { AppEnv } from "../../lib/env";
import { validate } from "../../lib/validate";
import { getSettings, updateSettings } from "./queries";

const cidr = z.string().transform((value, ctx) => {
  const normalized = normalizeCidr(value);
  if (normalized === null) {
    ctx.addIssue({ code: "custom", message: `"${value.slice(0, 64)}" is not an IPv4 or IPv6 address or CIDR range` });
    return z.NEVER;
  }
  return normalized;
});

const timezone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone such as Europe/Berlin or UTC");

const settingsPatch = z
  .object({
    // null (or "") clears the secret.
    postbackSecret: z
      .string()
      .max(256)
      .nullable()
      .transform((s) => (s === null || s.trim() === "" ? null : s.trim())),
    postbackAllowedIps: z
      .array(cidr)
      .max(100)
      .transform((list) => [...new Set(list)]),
    timezone,
    // Raw visits are kept this many days, then archived to R2 (reports stay exact from rollups).
    visitRetentionDays: z.number().int().min(1).max(3650),
  })
  .partial()
  .strict();

/** GET/PATCH /api/settings: postback protection (secret, IP allow-list), the report time zone, visit retention. */
export const settingsApi = new Hono<AppEnv>()
  .get("/", async (c) => c.json(await getSettings(c.var.db)))
  .patch("/", validate("json", settingsPatch), async (c) =>
    c.json(await updateSettings(c.var.db, c.req.valid("json"))),
  );
