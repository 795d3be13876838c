import { Hono } from "hono";
import { sealConversionApi } from "../../delivery/platforms/store";
import type { AppEnv } from "../../lib/env";
import { ApiError, validationError } from "../../lib/errors";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import { listQuery, listStats } from "../../reports/list-stats";
import {
  createTrafficSource,
  getTrafficSource,
  listTrafficSources,
  trafficSourceInput,
  trafficSourceJson,
  updateTrafficSource,
} from "./queries";
import { trafficSourceBody, trafficSourcePatch } from "./schema";

const notFound = () => new ApiError("not_found", "Traffic source not found");

export const trafficSourcesApi = new Hono<AppEnv>()
  .post("/", validate("json", trafficSourceBody), async (c) => {
    const input = c.req.valid("json");
    const api = await sealConversionApi(c.var.config, input.conversionApi, null);
    const row = await createTrafficSource(c.var.db, input, api);
    return c.json(trafficSourceJson(row), 201);
  })
  .get("/", validate("query", listQuery), async (c) => {
    const q = c.req.valid("query");
    const rows = await listTrafficSources(c.var.db, { includeArchived: q.archived === "1" });
    // With a range (from, to, tz): each item's figures from the report engine.
    const stats = await listStats(c.var.db, "trafficSource", q);
    const range = stats && { from: stats.range.from, to: stats.range.to, tz: stats.range.tz };
    return c.json({
      ...range,
      trafficSources: rows.map((r) => ({ ...trafficSourceJson(r), ...(stats && { stats: stats.of(r.id) }) })),
    });
  })
  .get("/:id", async (c) => {
    const row = await getTrafficSource(c.var.db, parseId(c.req.param("id"), "Traffic source"));
    if (!row) throw notFound();
    return c.json(trafficSourceJson(row));
  })
  .patch("/:id", validate("json", trafficSourcePatch), async (c) => {
    const id = parseId(c.req.param("id"), "Traffic source");
    const { archived, ...patch } = c.req.valid("json");
    const current = await getTrafficSource(c.var.db, id);
    if (!current) throw notFound();
    // Parameter names must stay unique across the whole source, so the merged source is checked.
    const merged = trafficSourceBody.safeParse({ ...trafficSourceInput(current), ...patch });
    if (!merged.success) throw validationError(merged.error, "Invalid json");
    const api = await sealConversionApi(c.var.config, merged.data.conversionApi, current);
    const row = await updateTrafficSource(c.var.db, id, { input: merged.data, api, archived });
    if (!row) throw notFound();
    return c.json(trafficSourceJson(row));
  })
  .delete("/:id", async (c) => {
    const row = await updateTrafficSource(c.var.db, parseId(c.req.param("id"), "Traffic source"), { archived: true });
    if (!row) throw notFound();
    return c.json(trafficSourceJson(row));
  });
