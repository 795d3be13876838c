import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { validate } from "../../lib/validate";
import { deliveryJson, listDeliveries } from "./queries";
import { retryDelivery } from "./retry";
import { deliveryQuery } from "./schema";
import { TRAFFIC_SOURCE_TEMPLATES } from "./templates";

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
