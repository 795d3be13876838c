import { Hono } from "hono";
import { checkFlow, parseStoredFlow } from "../../click/flow-store";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import { campaignJson, createCampaign, getCampaign, listCampaigns, updateCampaign } from "./queries";
import { campaignBody, campaignInput, campaignPatch, checkOffers, checkSource, storedModel } from "./schema";

const origin = (url: string) => new URL(url).origin;

export const campaignsApi = new Hono<AppEnv>()
  .post("/", validate("json", campaignBody), async (c) => {
    const body = c.req.valid("json");
    const flow = body.flow ? await checkFlow(c.var.db, body.flow, null, null) : null;
    if (body.offers) await checkOffers(c.var.db, body.offers);
    await checkSource(c.var.db, body.trafficSourceId);
    const row = await createCampaign(c.var.db, { ...campaignInput(body), flow });
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
  .patch("/:id", validate("json", campaignPatch), async (c) => {
    const id = parseId(c.req.param("id"), "Campaign");
    const { costPerClick, costModel, flow: flowBody, ...patch } = c.req.valid("json");
    const current = await getCampaign(c.var.db, id);
    if (!current) throw new ApiError("not_found", "Campaign not found");
    if (patch.offers) await checkOffers(c.var.db, patch.offers);
    await checkSource(c.var.db, patch.trafficSourceId, current.trafficSourceId);
    // Rules and paths sent with their ids keep them (flow-store.ts).
    const flow = flowBody && (await checkFlow(c.var.db, flowBody, id, parseStoredFlow(current.flow)));
    const row = await updateCampaign(c.var.db, id, {
      ...patch,
      ...(flow && { flow }),
      costModel: storedModel({ costModel, costPerClick }),
    });
    if (!row) throw new ApiError("not_found", "Campaign not found");
    return c.json(campaignJson(row, origin(c.req.url)));
  })
  .delete("/:id", async (c) => {
    const row = await updateCampaign(c.var.db, parseId(c.req.param("id"), "Campaign"), { archived: true });
    if (!row) throw new ApiError("not_found", "Campaign not found");
    return c.json(campaignJson(row, origin(c.req.url)));
  });
