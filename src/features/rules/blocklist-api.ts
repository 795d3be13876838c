import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import { DIMENSIONS } from "../../model/dimensions";
import { getCampaign } from "../campaigns/queries";
import { blocklistOf, unblock } from "./blocklist";

const query = z.strictObject({
  dimension: z.enum(DIMENSIONS, { error: `must be one of ${DIMENSIONS.join(", ")}` }).optional(),
  format: z.enum(["json", "text"], { error: 'must be "json" or "text"' }).default("json"),
});

async function campaignId(c: { var: AppEnv["Variables"]; req: { param: (k: "id") => string } }) {
  const id = parseId(c.req.param("id"), "Campaign");
  if (!(await getCampaign(c.var.db, id))) throw new ApiError("not_found", "Campaign not found");
  return id;
}

/** /api/campaigns/:id/blocklist: what rules (docs/rules.md) put on a campaign's blocklist. */
export const blocklistApi = new Hono<AppEnv>()
  .get("/:id/blocklist", validate("query", query), async (c) => {
    const { dimension, format } = c.req.valid("query");
    if (format === "text" && !dimension)
      throw new ApiError("invalid_parameter", "Invalid query: dimension: is required with format=text", [
        { path: "dimension", message: "is required with format=text" },
      ]);
    const list = await blocklistOf(c.var.db, await campaignId(c), dimension);
    // One value a line: what a network's zone blacklist takes.
    if (format === "text") return c.text((list[dimension!] ?? []).map((v) => `${v}\n`).join(""));
    return c.json(list);
  })
  .delete("/:id/blocklist/:dimension/:value", async (c) => {
    const id = await campaignId(c);
    if (!(await unblock(c.var.db, id, c.req.param("dimension"), c.req.param("value"))))
      throw new ApiError("not_found", "Value not on the blocklist");
    return c.json(await blocklistOf(c.var.db, id));
  });
