import { Hono } from "hono";
import { etag } from "hono/etag";
// Bundled as text by the [[rules]] in wrangler.toml, like the report's column picker.
import flowJs from "./flow.client.js";

/** /admin/assets/flow.js: the flow editor's add and remove buttons without a page reload. */
export const flowAssets = new Hono().use(etag()).get("/flow.js", (c) =>
  c.body(flowJs, 200, {
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": "public, max-age=300",
  }),
);
