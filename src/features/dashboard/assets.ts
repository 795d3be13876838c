import { Hono } from "hono";
import { etag } from "hono/etag";
import uplotJs from "uplot/dist/uPlot.iife.min.js";
// Bundled as text by the [[rules]] in wrangler.toml (types in src/text-modules.d.ts): the worker
// serves the charting library itself, so the Content-Security-Policy stays 'self'.
import uplotCss from "uplot/dist/uPlot.min.css";
import dashboardJs from "./chart.client.js";

const JS = "text/javascript; charset=utf-8";

/**
 * uPlot builds its number format from navigator.language when it loads; a tag that is not valid
 * BCP 47 (Chromium under a POSIX locale says "en-US@posix") throws RangeError and no chart is
 * drawn. Served in front of the library: such a tag reads as "en-US".
 */
export const LOCALE_FALLBACK = `(function () {
  try { new Intl.NumberFormat(navigator.language); } catch (e) {
    Object.defineProperty(navigator, "language", { value: "en-US", configurable: true });
  }
})();
`;
const UPLOT_JS = LOCALE_FALLBACK + uplotJs;
const CSS = "text/css; charset=utf-8";

/** /admin/assets/{uplot.js, uplot.css, dashboard.js}: public files, revalidated by ETag. */
export const dashboardAssets = new Hono()
  .use(etag())
  .get("/uplot.js", (c) => c.body(UPLOT_JS, 200, { "content-type": JS, "cache-control": "public, max-age=300" }))
  .get("/uplot.css", (c) => c.body(uplotCss, 200, { "content-type": CSS, "cache-control": "public, max-age=300" }))
  .get("/dashboard.js", (c) =>
    c.body(dashboardJs, 200, { "content-type": JS, "cache-control": "public, max-age=300" }),
  );
