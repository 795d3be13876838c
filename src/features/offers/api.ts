import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import { createOffer, getOffer, listOffers, offerJson, updateOffer } from "./queries";
import { offerBody, offerPatch } from "./schema";

export const offersApi = new Hono<AppEnv>()
  .post("/", validate("json", offerBody), async (c) => {
    const row = await createOffer(c.var.db, c.req.valid("json"));
    return c.json(offerJson(row), 201);
  })
  .get("/", async (c) => {
    const rows = await listOffers(c.var.db, { includeArchived: c.req.query("archived") === "1" });
    return c.json({ offers: rows.map(offerJson) });
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
