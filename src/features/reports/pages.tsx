import { type Context, Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { type Dimension, dimensionOfParam } from "../../model/dimensions";
import { getSettings } from "../../model/settings";
import { varAliases } from "../../reports/aliases";
import { costUpdateUrl, type DrillView, filtersRecord, viewOf, viewQuery } from "../../reports/drill-url";
import { labelOf, runDrill } from "../../reports/engine";
import type { DateRange } from "../../reports/range";
import { reportQuery } from "../../reports/schema";
import { BotSwitch } from "../../ui/bot-switch";
import { columnsOf } from "../../ui/columns";
import { Layout } from "../../ui/layout";
import { readRange } from "../../ui/range-form";
import { csvLines } from "../conversions/csv";
import { Breadcrumbs, DimensionPicker, DrillForm, DrillTable, hiddenFields } from "./views";

// A filter's empty value is meaningful ("visits without a country"), unlike an empty date field.
const isFilter = (name: string) => dimensionOfParam(name) !== undefined;

async function readView(c: Context<AppEnv>) {
  const params = c.req.query();
  const result = await readRange(c.var.db, reportQuery, params, isFilter);
  if (!result.ok) return result;
  return { ok: true as const, view: viewOf(result.range, result.query, params), range: result.range };
}

function answer(c: Context<AppEnv>, view: DrillView, range: DateRange) {
  const { groupBy, orderBy, order, limit } = view;
  return runDrill(c.var.db, { range, groupBy, filters: filtersRecord(view), orderBy, order, limit });
}

/**
 * /admin/report: the drill-down. Pick a dimension, open a row to filter by it and group by the
 * next one; breadcrumbs lead back; headers sort; every choice is in the URL.
 */
export const reportPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const read = await readView(c);
    if (!read.ok) {
      const v = read.values;
      const hidden = Object.entries(v).filter(([k]) => !["from", "to", "tz", "groupBy"].includes(k));
      return c.html(
        <Layout title="Report" active="/admin/report">
          <DrillForm
            from={v.from ?? ""}
            to={v.to ?? ""}
            tz={v.tz ?? "UTC"}
            groupBy={v.groupBy ?? "campaign"}
            hidden={hidden}
            aliases={{}}
            errors={read.errors}
          />
        </Layout>,
        400,
      );
    }
    const { view, range } = read;
    const filters = filtersRecord(view);
    const hideBots = filters.bot === "false";
    const botView = {
      ...view,
      filters: [...view.filters.filter(([p]) => p !== "bot"), ["bot", "true"] as [string, string]],
    };
    const [result, aliases, labels, bots, settings] = await Promise.all([
      answer(c, view, range),
      varAliases(c.var.db, filters),
      Promise.all(view.filters.map(([p, value]) => labelOf(c.var.db, dimensionOfParam(p) as Dimension, value))),
      answer(c, botView, range),
      getSettings(c.var.db),
    ]);
    const keep = [...new URLSearchParams(viewQuery(view))].filter(([k]) => k !== "bot");
    return c.html(
      <Layout title="Report" active="/admin/report" wide head={<script src="/admin/assets/report.js" defer></script>}>
        <DrillForm {...view} hidden={hiddenFields(view)} aliases={aliases} />
        <Breadcrumbs view={view} labels={labels} aliases={aliases} />
        <DimensionPicker view={view} aliases={aliases} />
        <BotSwitch
          action="/admin/report"
          name="bot"
          value="false"
          hidden={hideBots}
          bots={bots.ok ? bots.totals.visits : 0}
          keep={keep}
        />
        {result.ok ? (
          <>
            <p>
              <span class="muted">
                {view.from} to {view.to} ({view.tz}). Open a row to filter by it; click a header to sort. CR and ROI in
                percent; revenue counts every payout, corrections included.{" "}
              </span>
              <a class="button secondary" href={`/admin/report/csv?${viewQuery(view)}`} download>
                Download CSV
              </a>{" "}
              {view.filters.some(([p]) => p === "campaignId") && (
                <a class="button secondary" href={costUpdateUrl(view)}>
                  Set the cost of this view
                </a>
              )}
            </p>
            <details id="column-picker" hidden>
              <summary>Columns</summary>
              <div class="choices" />
            </details>
            <DrillTable
              view={view}
              rows={result.rows}
              totals={result.totals}
              aliases={aliases}
              currency={settings.currency}
            />
          </>
        ) : (
          <p class="notice" role="status" id="unavailable">
            {result.unavailable} The report engine that answers it is on its way; the other dimensions work.
          </p>
        )}
      </Layout>,
    );
  })
  // The rows of the current view as CSV: the API's field names, money as decimals.
  .get("/csv", async (c) => {
    const read = await readView(c);
    if (!read.ok) return c.text(read.errors.join("\n"), 400);
    const result = await answer(c, read.view, read.range);
    if (!result.ok) return c.text(result.unavailable, 400);
    const fields: string[] = ["key", "label", ...columnsOf(result.totals).map((col) => col.field)];
    const rows = result.rows.map((r) =>
      Object.fromEntries(fields.map((f) => [f, (r as Record<string, any>)[f] ?? null])),
    );
    const { groupBy, from, to } = read.view;
    return c.body(csvLines(fields, rows, { header: true }), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="report-${groupBy}-${from}-${to}.csv"`,
    });
  });
