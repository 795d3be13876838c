import { Hono } from "hono";
import { z } from "zod";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { amountSchema } from "../../lib/money";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import { getOffersByIds } from "../offers/queries";
import {
  campaignJson,
  createCampaign,
  getCampaign,
  listCampaigns,
  unusableOffers,
  updateCampaign,
  type WeightedOffer,
} from "./queries";

const weightedOffers = z
  .array(
    z.strictObject({ offerId: z.number().int().positive(), weight: z.number().int().min(0).max(10_000).default(100) }),
  )
  .min(1)
  .max(50)
  .refine((list) => new Set(list.map((o) => o.offerId)).size === list.length, "each offer may appear only once")
  .refine((list) => list.some((o) => o.weight > 0), "at least one offer needs a weight above 0");

const campaignBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  offers: weightedOffers,
  costPerClick: amountSchema.nullable().optional(),
});

async function checkOffers(db: Db, list: WeightedOffer[]) {
  const missing = unusableOffers(
    list,
    await getOffersByIds(
      db,
      list.map((o) => o.offerId),
    ),
  );
  if (missing.length > 0) {
    const issues = missing.map((id) => ({
      path: `offers.${list.findIndex((o) => o.offerId === id)}.offerId`,
      message: `offer ${id} does not exist or is archived`,
    }));
    throw new ApiError(
      "invalid_parameter",
      `Invalid json: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      issues,
    );
  }
}

const origin = (url: string) => new URL(url).origin;

export const campaignsApi = new Hono<AppEnv>()
  .post("/", validate("json", campaignBody), async (c) => {
    const body = c.req.valid("json");
    await checkOffers(c.var.db, body.offers);
    const row = await createCampaign(c.var.db, {
      name: body.name,
      offers: body.offers,
      costPerClickMicros: body.costPerClick ?? null,
    });
    return c.json(campaignJson(row, origin(c.req.url)), 201);
  })
  .get("/", async (c) => {
    const rows = await listCampaigns(c.var.db, { includeArchived: c.req.query("archived") === "1" });
    return c.json({ campaigns: rows.map((r) => campaignJson(r, origin(c.req.url))) });
  })
  .get("/:id", async (c) => {
    const row = await getCampaign(c.var.db, parseId(c.req.param("id"), "Campaign"));
    if (!row) throw new ApiError("not_found", "Campaign not found");
    return c.json(campaignJson(row, origin(c.req.url)));
  })
  .patch(
    "/:id",
    validate("json", campaignBody.partial().extend({ archived: z.boolean().optional() }).strict()),
    async (c) => {
      const id = parseId(c.req.param("id"), "Campaign");
      const { costPerClick, ...patch } = c.req.valid("json");
      if (!(await getCampaign(c.var.db, id))) throw new ApiError("not_found", "Campaign not found");
      if (patch.offers) await checkOffers(c.var.db, patch.offers);
      const row = await updateCampaign(c.var.db, id, {
        ...patch,
        ...(costPerClick !== undefined && { costPerClickMicros: costPerClick }),
      });
      if (!row) throw new ApiError("not_found", "Campaign not found");
      return c.json(campaignJson(row, origin(c.req.url)));
    },
  )
  .delete("/:id", async (c) => {
    const row = await updateCampaign(c.var.db, parseId(c.req.param("id"), "Campaign"), { archived: true });
    if (!row) throw new ApiError("not_found", "Campaign not found");
    return c.json(campaignJson(row, origin(c.req.url)));
  });
