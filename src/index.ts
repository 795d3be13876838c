import { Hono } from "hono";
import { getDb } from "./lib/db";
import type { AppEnv } from "./lib/env";
import { onError } from "./lib/errors";
import { adminSite } from "./routes/admin";
import { api } from "./routes/api";
import { clickRoutes } from "./routes/click";
import { pixelRoutes } from "./routes/pixel";
import { postbackRoutes } from "./routes/postback";

// Wiring only: each feature's routes live in src/routes/, its logic in its own folder.
const app = new Hono<AppEnv>()
  .use(async (c, next) => {
    c.set("db", getDb(c.env.DB));
    await next();
  })
  .route("/", clickRoutes)
  .route("/", postbackRoutes)
  .route("/", pixelRoutes)
  .route("/api", api)
  .route("/admin", adminSite)
  .notFound((c) => c.json({ error: "Not found" }, 404));

app.onError(onError);

export default app;
export { IngestShard } from "./ingest/shard";
