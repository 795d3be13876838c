import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { getSettings, mergedSettings, type Settings, updateSettings } from "../../model/settings";
import { mergedSettingsProblem, settingsPatch } from "./schema";

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
