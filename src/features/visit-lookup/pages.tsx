import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { Errors, Layout } from "../../ui/layout";
import { lookupVisit } from "../../visits/lookup";
import { visitNames } from "./names";
import { LookupForm, LookupResult } from "./views";

/** /admin/visits?clickId=…: click lookup (docs/tracking.md), the same data as GET /api/visits/:clickId. */
export const visitPages = new Hono<AppEnv>().get("/", async (c) => {
  const clickId = (c.req.query("clickId") ?? "").trim();
  const result = clickId === "" ? null : await lookupVisit(c.env, clickId);
  const invalid = result !== null && !("click" in result);
  return c.html(
    <Layout title="Click lookup" active="/admin/visits">
      <p class="muted">Why did a click not count? Paste its click ID: the visit, its lander clicks and conversions.</p>
      <LookupForm value={clickId} />
      {invalid && <Errors errors={["Click ID: is not a click ID issued by this tracker"]} />}
      {result && "click" in result && <LookupResult result={result} names={await visitNames(c.var.db, result)} />}
    </Layout>,
    invalid ? 400 : result && "click" in result && !result.found ? 404 : 200,
  );
});
