import { Hono } from "hono";
import { adminSite } from "./admin/site";
import { api } from "./api";
import { BEACON_CORS, directRoutes, serveBeacon } from "./click/direct/routes";
import { landerClickRoutes } from "./click/lander-click";
import { clickSegment, serveClick } from "./click/route";
import { runSourcePostbackCron } from "./delivery/maintenance";
import { pruneAuditCron } from "./features/audit/retention";
import { mcpRoutes } from "./features/mcp/route";
import { runRulesCron } from "./features/rules/cron";
import { pixelRoutes } from "./ingest/pixel";
import { postbackRoutes, servePostbackGet } from "./ingest/postback";
import { getConfig } from "./lib/config";
import { getDb } from "./lib/db";
import type { AppEnv } from "./lib/env";
import { errorBody, onError } from "./lib/errors";
import { getOrHeadPath, serveHotPath } from "./lib/hot-path";
import { requestIds } from "./lib/request-id";
import { handleQueue } from "./queues";
import { runScheduled } from "./visits/scheduled";

// Wiring only: each feature keeps its routes and logic in its own folder (README: Project layout).
const app = new Hono<AppEnv>()
  .use(requestIds)
  .use(async (c, next) => {
    // Parsed once per isolate (lib/config.ts): a missing secret is logged here, at the first request.
    c.set("config", getConfig(c.env));
    c.set("db", getDb(c.env.DB));
    await next();
  })
  .route("/", landerClickRoutes)
  .route("/", directRoutes)
  .route("/", postbackRoutes)
  .route("/", pixelRoutes)
  .route("/api", api)
  .route("/mcp", mcpRoutes)
  .route("/admin", adminSite)
  .notFound((c) => c.json(errorBody("not_found", "Not found"), 404));

app.onError(onError);

export default {
  // The click, the GET postback and the beacon, most of the traffic, skip the router
  // (lib/hot-path.ts); everything else is Hono's.
  fetch: (request: Request, env: Env, ctx?: ExecutionContext) => {
    const path = getOrHeadPath(request);
    const segment = path === null ? null : clickSegment(path);
    if (segment !== null) return serveHotPath(request, ctx, (c) => serveClick(request, env, c, segment));
    if (path === "/postback") return serveHotPath(request, ctx, (c) => servePostbackGet(request, env, c));
    if (path === "/dt/visit") return serveHotPath(request, ctx, (c) => serveBeacon(request, env, c), BEACON_CORS);
    return app.fetch(request, env, ctx);
  },
  queue: (batch, env, _ctx) => handleQueue(batch, env),
  // One cron (wrangler.toml): visit housekeeping, source-postback sweeps, rules and learned weights; each logs its own failures.
  scheduled: async (controller, env, _ctx) => {
    await runScheduled(env, controller.scheduledTime);
    await runSourcePostbackCron(env, controller.scheduledTime);
    await runRulesCron(env, controller.scheduledTime);
    await pruneAuditCron(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;
export { IngestShard } from "./ingest/shard";
export { LoginThrottle } from "./lib/login-throttle";
