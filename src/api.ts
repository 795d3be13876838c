import { Hono } from "hono";
import { campaignsApi } from "./features/campaigns/api";
import { conversionTypesApi } from "./features/conversion-types/api";
import { conversionsApi } from "./features/conversions/api";
import { offersApi } from "./features/offers/api";
import { postbacksApi } from "./features/postback-log/api";
import { settingsApi } from "./features/settings/api";
import { uploadApi } from "./features/upload/api";
import { visitsApi } from "./features/visits/api";
import { adminBearerAuth } from "./lib/auth";
import type { AppEnv } from "./lib/env";
import { reportApi } from "./reports/api";

/** Everything under /api needs the admin bearer token. */
export const api = new Hono<AppEnv>()
  .use(adminBearerAuth())
  .route("/offers", offersApi)
  .route("/campaigns", campaignsApi)
  .route("/conversion-types", conversionTypesApi)
  .route("/settings", settingsApi)
  .route("/postbacks", postbacksApi)
  .route("/conversions/upload", uploadApi)
  .route("/conversions", conversionsApi)
  .route("/report", reportApi)
  .route("/visits", visitsApi);
