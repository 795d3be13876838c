import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import { costUpdateJson, createCostUpdate, deleteCostUpdate, listCostUpdates } from "./queries";
import { costUpdateBody } from "./schema";

const listQuery = z.strictObject({ campaignId: z.coerce.number().int().positive().max(0xffffffff).optional() });

/** docs/costs.md: POST sets a total cost, GET lists, DELETE undoes. */
export const costUpdatesApi = new Hono<AppEnv>()
  .post("/", validate("json", costUpdateBody), async (c) => {
    const row = await createCostUpdate(c.var.db, c.req.valid("json"));
    return c.json(costUpdateJson(row), 201);
  })
  .get("/", validate("query", listQuery), async (c) => {
    const rows = await listCostUpdates(c.var.db, c.req.valid("query").campaignId);
    return c.json({ costUpdates: rows.map(costUpdateJson) });
  })
  .delete("/:id", async (c) => {
    const row = await deleteCostUpdate(c.var.db, parseId(c.req.param("id"), "Cost update"));
    if (!row) throw new ApiError("not_found", "Cost update not found");
    return c.json(costUpdateJson(row));
  });
