import { Hono } from "hono";
import { adminSite } from "./admin/site";
import { api } from "./api";
import { landerClickRoutes } from "./click/lander-click";
import { clickRoutes } from "./click/route";
import { pixelRoutes } from "./ingest/pixel";
import { postbackRoutes } from "./ingest/postback";
import { getConfig } from "./lib/config";
import { getDb } from "./lib/db";
import type { AppEnv } from "./lib/env";
import { errorBody, onError } from "./lib/errors";

// Wiring only: each feature's routes live in src/routes/, its logic in its own folder.
const app = new Hono<AppEnv>()
  .use(async (c, next) => {
    // Parsed once per isolate (lib/config.ts): a missing secret is logged here, at the first request.
    c.set("config", getConfig(c.env));
    c.set("db", getDb(c.env.DB));
    await next();
  })
  .route("/", clickRoutes)
  .route("/", landerClickRoutes)
  .route("/", postbackRoutes)
  .route("/", pixelRoutes)
  .route("/api", api)
  .route("/admin", adminSite)
  .notFound((c) => c.json(errorBody("not_found", "Not found"), 404));

app.onError(onError);

export default app;
export { IngestShard } from "./ingest/shard";
