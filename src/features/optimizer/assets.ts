import { Hono } from "hono";
import { etag } from "hono/etag";
import weightsJs from "./weights.client.js";

/** /admin/assets/weights.js: the learned-weights chart script (uPlot itself is the dashboard's asset). */
export const weightsAssets = new Hono().use(etag()).get("/weights.js", (c) =>
  c.body(weightsJs, 200, {
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": "public, max-age=300",
  }),
);
