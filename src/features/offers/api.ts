import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import { listQuery, listStats } from "../../reports/list-stats";
import { createOffer, getOffer, listOffers, offerJson, updateOffer } from "./queries";
import { offerBody, offerPatch } from "./schema";

export const offersApi = new Hono<AppEnv>()
  .post("/", validate("json", offerBody), async (c) => {
    const row = await createOffer(c.var.db, c.req.valid("json"));
    return c.json(offerJson(row), 201);
  })
  .get("/", validate("query", listQuery), async (c) => {
    const q = c.req.valid("query");
    const rows = await listOffers(c.var.db, { includeArchived: q.archived === "1" });
    // With a range (from, to, tz): each item's figures from the report engine.
    const stats = await listStats(c.var.db, "offer", q);
    const range = stats && { from: stats.range.from, to: stats.range.to, tz: stats.range.tz };
    return c.json({
      ...range,
      offers: rows.map((r) => ({ ...offerJson(r), ...(stats && { stats: stats.of(r.id) }) })),
    });
  })
  .get("/:id", async (c) => {
    const row = await getOffer(c.var.db, parseId(c.req.param("id"), "Offer"));
    if (!row) throw new ApiError("not_found", "Offer not found");
    return c.json(offerJson(row));
  })
  .patch("/:id", validate("json", offerPatch), async (c) => {
    const row = await updateOffer(c.var.db, parseId(c.req.param("id"), "Offer"), c.req.valid("json"));
    if (!row) throw new ApiError("not_found", "Offer not found");
    return c.json(offerJson(row));
  })
  .delete("/:id", async (c) => {
    const row = await updateOffer(c.var.db, parseId(c.req.param("id"), "Offer"), { archived: true });
    if (!row) throw new ApiError("not_found", "Offer not found");
    return c.json(offerJson(row));
  });
