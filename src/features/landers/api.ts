import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import { listQuery, listStats } from "../../reports/list-stats";
import { createLander, getLander, landerJson, listLanders, updateLander } from "./queries";
import { landerBody, landerPatch } from "./schema";

const notFound = () => new ApiError("not_found", "Lander not found");

/** /api/landers: CRUD like offers; DELETE archives. */
export const landersApi = new Hono<AppEnv>()
  .post("/", validate("json", landerBody), async (c) => {
    return c.json(landerJson(await createLander(c.var.db, c.req.valid("json"))), 201);
  })
  .get("/", validate("query", listQuery), async (c) => {
    const q = c.req.valid("query");
    const rows = await listLanders(c.var.db, { includeArchived: q.archived === "1" });
    // With a range (from, to, tz): each item's figures from the report engine.
    const stats = await listStats(c.var.db, "lander", q);
    const range = stats && { from: stats.range.from, to: stats.range.to, tz: stats.range.tz };
    return c.json({
      ...range,
      landers: rows.map((r) => ({ ...landerJson(r), ...(stats && { stats: stats.of(r.id) }) })),
    });
  })
  .get("/:id", async (c) => {
    const row = await getLander(c.var.db, parseId(c.req.param("id"), "Lander"));
    if (!row) throw notFound();
    return c.json(landerJson(row));
  })
  .patch("/:id", validate("json", landerPatch), async (c) => {
    const row = await updateLander(c.var.db, parseId(c.req.param("id"), "Lander"), c.req.valid("json"));
    if (!row) throw notFound();
    return c.json(landerJson(row));
  })
  .delete("/:id", async (c) => {
    const row = await updateLander(c.var.db, parseId(c.req.param("id"), "Lander"), { archived: true });
    if (!row) throw notFound();
    return c.json(landerJson(row));
  });
