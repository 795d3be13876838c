import { Hono } from "hono";
import { adminBearerAuth } from "../lib/auth";
import type { AppEnv } from "../lib/env";
import { campaignsApi } from "./campaigns";
import { conversionTypesApi } from "./conversion-types";
import { conversionsApi } from "./conversions";
import { offersApi } from "./offers";
import { postbacksApi } from "./postbacks";
import { reportApi } from "./report";
import { settingsApi } from "./settings";
import { uploadApi } from "./upload";

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
  .route("/report", reportApi);
