import { Hono } from "hono";
import { authorize } from "./features/access/authorize";
import { requireAuth } from "./features/access/principal";
import { keysApi } from "./features/api-keys/api";
import { auditApi } from "./features/audit/api";
import { auditChanges } from "./features/audit/record";
import { campaignsApi } from "./features/campaigns/api";
import { conversionTypesApi } from "./features/conversion-types/api";
import { conversionsApi } from "./features/conversions/api";
import { costUpdatesApi } from "./features/cost-updates/api";
import { landersApi } from "./features/landers/api";
import { offersApi } from "./features/offers/api";
import { apiDocument } from "./features/openapi/document";
import { weightsApi } from "./features/optimizer/api";
import { postbacksApi } from "./features/postback-log/api";
import { reportApi } from "./features/reports/api";
import { rulesApi } from "./features/rules/api";
import { blocklistApi } from "./features/rules/blocklist-api";
import { settingsApi } from "./features/settings/api";
import { sourcePostbacksApi, trafficSourceTemplatesApi } from "./features/source-postbacks/api";
import { trafficSourcesApi } from "./features/traffic-sources/api";
import { uploadApi } from "./features/upload/api";
import { usersApi } from "./features/users/api";
import { visitsApi } from "./features/visit-lookup/api";
import { BODY_MAX_BYTES, bodyCap, hasOwnBodyCap } from "./lib/body";
import type { AppEnv } from "./lib/env";

/**
 * Everything under /api needs the admin token or an API key, and a role the access table lets
 * through (docs/teams.md); every change is written to the audit log. Bodies are read only after
 * that, and only up to BODY_MAX_BYTES (the upload has its own, larger cap).
 */
export const api = new Hono<AppEnv>()
  .use(requireAuth(), authorize(), auditChanges())
  .use(bodyCap({ maxBytes: BODY_MAX_BYTES, skip: hasOwnBodyCap }))
  // Generated from this very router (docs/api.md), so it lists every route below.
  .get("/openapi.json", async (c): Promise<Response> => c.json(await apiDocument(api)))
  .route("/offers", offersApi)
  .route("/landers", landersApi)
  .route("/campaigns", blocklistApi)
  .route("/campaigns", weightsApi)
  .route("/campaigns", campaignsApi)
  .route("/rules", rulesApi)
  .route("/traffic-sources", trafficSourcesApi)
  .route("/traffic-source-templates", trafficSourceTemplatesApi)
  .route("/source-postbacks", sourcePostbacksApi)
  .route("/conversion-types", conversionTypesApi)
  .route("/settings", settingsApi)
  .route("/postbacks", postbacksApi)
  .route("/conversions/upload", uploadApi)
  .route("/conversions", conversionsApi)
  .route("/cost-updates", costUpdatesApi)
  .route("/report", reportApi)
  .route("/visits", visitsApi)
  .route("/users", usersApi)
  .route("/keys", keysApi)
  .route("/audit", auditApi);
