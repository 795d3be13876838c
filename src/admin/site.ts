import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { api } from "../api";
import { authorize } from "../features/access/authorize";
import { hideWhatRoleCannot } from "../features/access/hide";
import { keyPages } from "../features/api-keys/pages";
import { auditPages } from "../features/audit/pages";
import { auditChanges } from "../features/audit/record";
import { flowAssets } from "../features/campaigns/flow-assets";
import { campaignFlowPages } from "../features/campaigns/flow-pages";
import { campaignPages } from "../features/campaigns/pages";
import { conversionTypePages } from "../features/conversion-types/pages";
import { conversionPages } from "../features/conversions/pages";
import { costUpdatePages } from "../features/cost-updates/pages";
import { dashboardAssets } from "../features/dashboard/assets";
import { dashboardPages } from "../features/dashboard/pages";
import { landerPages } from "../features/landers/pages";
import { offerPages } from "../features/offers/pages";
import { apiReferencePages } from "../features/openapi/page";
import { weightsAssets } from "../features/optimizer/assets";
import { postbackPages } from "../features/postback-log/pages";
import { reportAssets } from "../features/reports/assets";
import { reportPages } from "../features/reports/pages";
import { campaignRulePages } from "../features/rules/campaign-pages";
import { rulePages } from "../features/rules/pages";
import { settingsPages } from "../features/settings/pages";
import { sourcePostbackPages } from "../features/source-postbacks/pages";
import { trafficSourcePages } from "../features/traffic-sources/pages";
import { uploadPages } from "../features/upload/pages";
import { userPages } from "../features/users/pages";
import { visitPages } from "../features/visit-lookup/pages";
import { BODY_MAX_BYTES, bodyCap, hasOwnBodyCap } from "../lib/body";
import type { AppEnv } from "../lib/env";
import { adminErrorHandler, notFoundPage } from "../ui/errors";
import { sameOriginOnly } from "./csrf";
import { sessionRoutes } from "./login";
import { requireSession } from "./session";

/**
 * Every page behind the admin login, mounted at /admin. Add a feature's pages to this chain with
 * `.route("/<path>", …)` (Hono copies routes when `adminSite` is built below, so add them here,
 * not later); the session guard and CSRF check in `adminSite` cover them automatically.
 */
export const adminPages = new Hono<AppEnv>()
  .route("/", dashboardPages)
  .route("/api", apiReferencePages(api))
  .route("/campaigns", campaignFlowPages)
  .route("/campaigns", campaignRulePages)
  .route("/campaigns", campaignPages)
  .route("/rules", rulePages)
  .route("/offers", offerPages)
  .route("/traffic-sources", trafficSourcePages)
  .route("/landers", landerPages)
  .route("/conversion-types", conversionTypePages)
  .route("/upload", uploadPages)
  .route("/settings", settingsPages)
  .route("/postbacks", postbackPages)
  .route("/source-postbacks", sourcePostbackPages)
  .route("/report", reportPages)
  .route("/conversions", conversionPages)
  .route("/cost-updates", costUpdatePages)
  .route("/visits", visitPages)
  .route("/users", userPages)
  .route("/keys", keyPages)
  .route("/audit", auditPages);

/** /admin: secure headers and CSRF checks on everything, then login, then the guarded pages. */
export const adminSite = new Hono<AppEnv>()
  .use(
    secureHeaders({
      // No inline script or style anywhere: stylesheets and scripts (uPlot included) are served by /admin/assets.
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: "same-origin",
    }),
    // Every state-changing request must come from this origin, whatever its content type (csrf.ts).
    sameOriginOnly(),
    async function noStore(c, next) {
      await next();
      if (!c.req.path.startsWith("/admin/assets/")) c.header("Cache-Control", "no-store");
    },
  )
  .route("/", sessionRoutes)
  .route("/assets", dashboardAssets)
  .route("/assets", weightsAssets)
  .route("/assets", reportAssets)
  .route("/assets", flowAssets)
  // Registered after the public routes, so it guards everything below but not the login page.
  .use(requireSession())
  // The role's rights by the access table, the audit log of changes, pages without what the role cannot use.
  .use(authorize(), auditChanges(), hideWhatRoleCannot())
  // Form posts are small; the upload pages read their larger bodies under a cap of their own.
  .use(bodyCap({ maxBytes: BODY_MAX_BYTES, skip: hasOwnBodyCap }))
  .route("/", adminPages)
  .all("*", notFoundPage);

adminSite.onError(adminErrorHandler);
