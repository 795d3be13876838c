import { Hono } from "hono";
import { deliveryJson, listDeliveries } from "../../delivery/queries";
import type { AppEnv } from "../../lib/env";
import { validate } from "../../lib/validate";
import { TRAFFIC_SOURCE_TEMPLATES } from "../traffic-sources/templates";
import { retryDelivery } from "./retry";
import { deliveryQuery } from "./schema";

/** GET /api/source-postbacks (newest first) and POST /api/source-postbacks/:id/retry (202, queued again). */
export const sourcePostbacksApi = new Hono<AppEnv>()
  .get("/", validate("query", deliveryQuery), async (c) => {
    const page = await listDeliveries(c.var.db, c.req.valid("query"));
    return c.json({ deliveries: page.rows.map(deliveryJson), nextCursor: page.nextCursor });
  })
  .post("/:id/retry", async (c) => {
    const row = await retryDelivery(c.var.db, c.env, c.req.param("id"));
    return c.json(deliveryJson(row), 202);
  });

/** GET /api/traffic-source-templates: ready-made sources for networks whose documentation we checked. */
export const trafficSourceTemplatesApi = new Hono<AppEnv>().get("/", (c) =>
  c.json({ templates: TRAFFIC_SOURCE_TEMPLATES }),
);
