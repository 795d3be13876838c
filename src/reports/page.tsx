import { Hono } from "hono";
import { amount, DataTable } from "../admin/components";
import { Layout } from "../admin/layout";
import { CampaignSelect, RangeForm, readRange } from "../admin/range-form";
import { listCampaigns } from "../features/campaigns/queries";
import type { AppEnv } from "../lib/env";
import type { Metrics } from "./metrics";
import { type ReportRow, reportFilters, runReport } from "./queries";
import { reportQuery } from "./schema";
import { GROUP_BY, type GroupBy } from "./types";

const GROUP_LABELS: Record<string, string> = {
  campaign: "Campaign",
  trafficSource: "Traffic source",
  offer: "Offer",
  osVersion: "OS version",
  browserVersion: "Browser version",
  isp: "ISP",
  referrerDomain: "Referrer domain",
  conversionType: "Conversion type",
};
/** "var1" → "Var1", "os" → "OS"… : the page's label of a dimension. */
const groupLabel = (g: string) => GROUP_LABELS[g] ?? (g === "os" ? "OS" : g[0]!.toUpperCase() + g.slice(1));

const dash = (v: number | null, f: (n: number) => string = String) => (v === null ? "—" : f(v));
const percent = (n: number) => `${(Math.round(n * 10_000) / 100).toFixed(2)}%`;

function Cells({ m }: { m: Metrics }) {
  return (
    <>
      <td class="num">{m.visits}</td>
      <td class="num">{m.conversions}</td>
      <td class="num">{amount(m.revenue)}</td>
      <td class="num">{amount(m.cost)}</td>
      <td class="num">{amount(m.profit)}</td>
      <td class="num">{dash(m.cr, percent)}</td>
      <td class="num">{dash(m.epc, amount)}</td>
      <td class="num">{dash(m.roi, percent)}</td>
    </>
  );
}

function ReportTable({ groupBy, rows, totals }: { groupBy: GroupBy; rows: ReportRow[]; totals: Metrics }) {
  return (
    <DataTable
      id="report"
      columns={[
        groupLabel(groupBy),
        ...["Visits", "Conversions", "Revenue", "Cost", "Profit", "CR", "EPC", "ROI"].map((label) => ({
          label,
          num: true,
        })),
      ]}
      rows={rows}
      empty="No visits or conversions in this range."
      row={(r) => (
        <tr>
          <td>{r.label}</td>
          <Cells m={r} />
        </tr>
      )}
      foot={
        <tr>
          <th>Total</th>
          <Cells m={totals} />
        </tr>
      }
    />
  );
}

/** /admin/report: the API's report as a page, with the same parameters in a GET form. */
export const reportPages = new Hono<AppEnv>().get("/", async (c) => {
  const campaigns = await listCampaigns(c.var.db, { includeArchived: true });
  const result = await readRange(c.var.db, reportQuery, c.req.query());
  if (!result.ok) {
    const v = result.values;
    return c.html(
      <Layout title="Report" active="/admin/report">
        <RangeForm action="/admin/report" from={v.from ?? ""} to={v.to ?? ""} tz={v.tz ?? "UTC"} errors={result.errors}>
          <CampaignSelect campaigns={campaigns} value={v.campaignId} />
          <GroupBySelect value={v.groupBy ?? "campaign"} />
        </RangeForm>
      </Layout>,
      400,
    );
  }
  const { range, query } = result;
  const { groupBy, orderBy, order, limit } = query;
  const report = await runReport(c.var.db, { range, groupBy, filters: reportFilters(query), orderBy, order, limit });
  return c.html(
    <Layout title="Report" active="/admin/report">
      <RangeForm action="/admin/report" from={range.from} to={range.to} tz={range.tz}>
        <CampaignSelect
          campaigns={campaigns}
          value={query.campaignId === undefined ? undefined : String(query.campaignId)}
        />
        <GroupBySelect value={query.groupBy} />
      </RangeForm>
      <p class="muted">
        {range.from} to {range.to} ({range.tz}). CR and ROI in percent; revenue counts every payout, corrections
        included.
      </p>
      <ReportTable groupBy={query.groupBy} rows={report.rows} totals={report.totals} />
    </Layout>,
  );
});

function GroupBySelect({ value }: { value: string }) {
  return (
    <label>
      Group by
      <select name="groupBy">
        {GROUP_BY.map((g) => (
          <option value={g} selected={g === value}>
            {groupLabel(g)}
          </option>
        ))}
      </select>
    </label>
  );
}
