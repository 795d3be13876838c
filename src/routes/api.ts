import { Hono } from "hono";
import { adminBearerAuth } from "../lib/auth";
import type { AppEnv } from "../lib/env";
import { campaignsApi } from "./campaigns";
import { conversionTypesApi } from "./conversion-types";
import { offersApi } from "./offers";

/** Everything under /api needs the admin bearer token. */
export const api = new Hono<AppEnv>()
  .use(adminBearerAuth())
  .route("/offers", offersApi)
  .route("/campaigns", campaignsApi)
  .route("/conversion-types", conversionTypesApi);
