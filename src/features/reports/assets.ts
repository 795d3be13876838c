import { Hono } from "hono";
import { etag } from "hono/etag";
// Bundled as text by the [[rules]] in wrangler.toml, like the dashboard's chart script.
import columnsJs from "./columns.client.js";

/** /admin/assets/report.js: the report's column picker. */
export const reportAssets = new Hono().use(etag()).get("/report.js", (c) =>
  c.body(columnsJs, 200, {
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": "public, max-age=300",
  }),
);
