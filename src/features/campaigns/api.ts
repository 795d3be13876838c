import { Hono } from "hono";
import { loadCampaignForClick } from "../../click/campaign-cache";
import { checkFlow, parseStoredFlow } from "../../click/flow-store";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import { listQuery, listStats } from "../../reports/list-stats";
import { effectiveWeightsJson } from "../optimizer/weights";
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
  .get("/", validate("query", listQuery), async (c) => {
    const q = c.req.valid("query");
    const rows = await listCampaigns(c.var.db, { includeArchived: q.archived === "1" });
    // With a range (from, to, tz): each item's figures from the report engine.
    const stats = await listStats(c.var.db, "campaign", q);
    const range = stats && { from: stats.range.from, to: stats.range.to, tz: stats.range.tz };
    return c.json({
      ...range,
      campaigns: rows.map((r) => ({ ...campaignJson(r, origin(c.req.url)), ...(stats && { stats: stats.of(r.id) }) })),
    });
  })
  .get("/:id", async (c) => {
    const row = await getCampaign(c.var.db, parseId(c.req.param("id"), "Campaign"));
    if (!row) throw new ApiError("not_found", "Campaign not found");
    // What the redirect uses now: learned weights, pauses (docs/rules.md).
    const live = await loadCampaignForClick(c.var.db, row.id);
    return c.json({ ...campaignJson(row, origin(c.req.url)), effectiveWeights: live && effectiveWeightsJson(live) });
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
