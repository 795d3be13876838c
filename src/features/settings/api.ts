import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { validate } from "../../lib/validate";
import { getSettings, updateSettings } from "./queries";
import { settingsPatch } from "./schema";

/** GET/PATCH /api/settings: postback protection (secret, IP allow-list) and the report time zone. */
export const settingsApi = new Hono<AppEnv>()
  .get("/", async (c) => c.json(await getSettings(c.var.db)))
  .patch("/", validate("json", settingsPatch), async (c) =>
    c.json(await updateSettings(c.var.db, c.req.valid("json"))),
  );
