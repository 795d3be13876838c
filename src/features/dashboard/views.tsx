import type { ReportRow } from "../../reports/queries";
import { formatMetric, METRIC_COLUMNS, type MetricColumn, metricOf } from "../../ui/columns";
import { DataTable } from "../../ui/components";

const pick = (...fields: MetricColumn["field"][]) => METRIC_COLUMNS.filter((c) => fields.includes(c.field));
const KPIS = pick("visits", "conversions", "cr", "revenue", "pendingRevenue", "cost", "profit", "epc", "roi");
/** What the chart script draws, read back from the no-JS table's data attributes. */
const DAILY = pick("visits", "conversions", "revenue", "cost", "profit");
const TOP = pick("visits", "conversions", "revenue", "cost", "profit", "roi");

const attr = (v: number | null) => (v === null ? "" : String(v));
const signed = (text: string, n: number) => (n > 0 ? `+${text}` : text);

/** Today minus yesterday: exact for money (micro-units), in points for ROI, with the relative change. */
function change(col: MetricColumn, today: number | null, yesterday: number | null, currency?: string) {
  if (today === null || yesterday === null) return { text: "—", delta: 0 };
  if (col.kind === "percent") {
    const points = Math.round((today - yesterday) * 10_000) / 100;
    return { text: `${signed(points.toFixed(2), points)} pts`, delta: points };
  }
  const delta =
    col.kind === "count" ? today - yesterday : (Math.round(today * 1e6) - Math.round(yesterday * 1e6)) / 1e6;
  const relative = yesterday === 0 ? "" : ` (${signed(formatMetric("percent", delta / Math.abs(yesterday)), delta)})`;
  return { text: signed(formatMetric(col.kind, delta, currency), delta) + relative, delta };
}

/** Today and yesterday side by side, one card per figure. */
export function Kpis({ today, yesterday, currency }: { today: ReportRow; yesterday: ReportRow; currency?: string }) {
  return (
    <div class="counts kpis" id="kpis">
      {KPIS.map((col) => {
        const [t, y] = [metricOf(today, col.field), metricOf(yesterday, col.field)];
        const { text, delta } = change(col, t, y, currency);
        // More cost is bad news; more of anything else is good news.
        const good = col.field === "cost" ? delta < 0 : delta > 0;
        return (
          <div data-metric={col.field}>
            <span class="muted">{col.label} today</span>
            <strong data-day="today" data-value={attr(t)}>
              {formatMetric(col.kind, t, currency)}
            </strong>
            <span class="muted">
              Yesterday{" "}
              <span data-day="yesterday" data-value={attr(y)}>
                {formatMetric(col.kind, y, currency)}
              </span>
            </span>
            <span class={`change ${delta === 0 ? "" : good ? "good" : "bad"}`}>{text}</span>
          </div>
        );
      })}
    </div>
  );
}

/**
 * The figures per day: the page's content without JavaScript, and the chart script's data (it
 * reads the data-value attributes, so the chart and the table cannot disagree).
 */
export function DailyFigures({ days, currency }: { days: ReportRow[]; currency?: string }) {
  return (
    <details class="figures" id="daily-figures" open>
      <summary>Figures per day</summary>
      <DataTable
        id="daily"
        columns={["Day", ...DAILY.map((c) => ({ label: c.label, num: true }))]}
        rows={days}
        row={(r) => (
          <tr data-day={String(r.key)}>
            <td>{r.label}</td>
            {DAILY.map((c) => (
              <td class="num" data-field={c.field} data-value={attr(metricOf(r, c.field))}>
                {formatMetric(c.kind, metricOf(r, c.field), currency)}
              </td>
            ))}
          </tr>
        )}
      />
    </details>
  );
}

/** Where the script draws; hidden until it does, so a page without JavaScript shows no empty boxes. */
export function Charts() {
  return (
    <section class="charts" id="charts" hidden>
      <h2>Visits and conversions per day</h2>
      <div class="chart" id="chart-traffic" role="img" aria-label="Visits and conversions per day" />
      <h2>Revenue, cost and profit per day</h2>
      <div class="chart" id="chart-money" role="img" aria-label="Revenue, cost and profit per day" />
    </section>
  );
}

export function TopCampaigns({
  rows,
  link,
  currency,
}: {
  rows: ReportRow[];
  link: (key: ReportRow["key"]) => string;
  currency?: string;
}) {
  return (
    <DataTable
      id="top-campaigns"
      columns={["Campaign", ...TOP.map((c) => ({ label: c.label, num: true }))]}
      rows={rows}
      empty="No campaign had visits or conversions in these days."
      row={(r) => (
        <tr>
          <td>{r.key === null ? r.label : <a href={link(r.key)}>{r.label}</a>}</td>
          {TOP.map((c) => (
            <td class="num">{formatMetric(c.kind, metricOf(r, c.field), currency)}</td>
          ))}
        </tr>
      )}
    />
  );
}

/** An install without a campaign: what to do first, instead of a page of zeros. */
export function FirstRun() {
  return (
    <div class="notice" id="first-run" role="status">
      <strong>Nothing tracked yet.</strong> Start with <a href="/admin/traffic-sources">a traffic source</a> (from a
      template), <a href="/admin/offers">an offer</a> and <a href="/admin/campaigns">a campaign</a>; its tracking URL
      goes into your ad. The figures appear here with the first visit.
    </div>
  );
}
