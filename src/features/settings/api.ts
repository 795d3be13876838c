import { Hono } from "hono";
import { z } from "zod";
import { normalizeCidr } from "../../lib/cidr";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { getSettings, mergedSettings, type Settings, updateSettings } from "./queries";
import { currencyRatesSchema, currencySchema, mergedSettingsProblem, statusMapSchema } from "./schema";

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
    statusMap: statusMapSchema,
    currency: currencySchema,
    currencyRates: currencyRatesSchema,
  })
  .partial()
  .strict();

/** The API's view: rates as JSON numbers, as they are sent. */
const settingsJson = (s: Settings) => ({
  ...s,
  currencyRates: Object.fromEntries(Object.entries(s.currencyRates).map(([k, v]) => [k, Number(v)])),
});

/** GET/PATCH /api/settings: postback protection, the report time zone, status words, currencies. */
export const settingsApi = new Hono<AppEnv>()
  .get("/", async (c) => c.json(settingsJson(await getSettings(c.var.db))))
  .patch("/", validate("json", settingsPatch), async (c) => {
    const patch = c.req.valid("json");
    const problem = mergedSettingsProblem(await mergedSettings(c.var.db, patch));
    if (problem) throw new ApiError("invalid_parameter", `${problem.path}: ${problem.message}`, [problem]);
    return c.json(settingsJson(await updateSettings(c.var.db, patch)));
  });
