import {
  DIMENSIONS,
  dimensionOfParam,
  dimensionTitle,
  filterValueOf,
  isTimeDimension,
  nextDimension,
} from "../../model/dimensions";
import {
  crumbView,
  currentSort,
  type DrillView,
  drillInto,
  filteredDimensions,
  sortView,
  viewQuery,
  viewUrl,
} from "../../reports/drill-url";
import type { Metrics, OrderField } from "../../reports/metrics";
import type { ReportRow } from "../../reports/queries";
import { columnsOf, formatMetric, metricOf } from "../../ui/columns";
import { RangeForm } from "../../ui/range-form";

type Aliases = Partial<Record<string, string>>;

/** The path of filters: each crumb goes back to that level, undoing the filters after it. */
export function Breadcrumbs({ view, labels, aliases }: { view: DrillView; labels: string[]; aliases: Aliases }) {
  const crumbs = [
    "All",
    ...view.filters.map(([param], i) => `${dimensionTitle(dimensionOfParam(param)!, aliases)}: ${labels[i]}`),
  ];
  return (
    <nav class="crumbs" aria-label="Drill-down path">
      <ol>
        {crumbs.map((text, i) => (
          <li>
            {i === crumbs.length - 1 ? (
              <span aria-current="page">{text}</span>
            ) : (
              <a href={viewUrl(crumbView(view, i))}>{text}</a>
            )}
          </li>
        ))}
        <li class="by muted">by {dimensionTitle(view.groupBy, aliases)}</li>
      </ol>
    </nav>
  );
}

/** One link per dimension: the rows of this view grouped another way. */
export function DimensionPicker({ view, aliases }: { view: DrillView; aliases: Aliases }) {
  return (
    <nav class="dims" aria-label="Group by">
      <span class="muted">Group by:</span>
      <ul>
        {DIMENSIONS.map((d) => (
          <li>
            {d === view.groupBy ? (
              <strong aria-current="true">{dimensionTitle(d, aliases)}</strong>
            ) : (
              <a href={viewUrl({ ...view, groupBy: d })}>{dimensionTitle(d, aliases)}</a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

function SortHeader(props: { view: DrillView; field: OrderField; label: string; num?: boolean }) {
  const { view, field, label, num } = props;
  const sort = currentSort(view);
  const on = sort.field === field;
  return (
    <th
      data-field={field}
      class={num ? "num" : undefined}
      aria-sort={on ? (sort.order === "asc" ? "ascending" : "descending") : undefined}
    >
      <a href={viewUrl(sortView(view, field))}>
        {label}
        {on && <span aria-hidden="true">{sort.order === "asc" ? " ▲" : " ▼"}</span>}
      </a>
    </th>
  );
}

/** The rows of one level: each row's name opens it (filter + next dimension); headers sort. */
export function DrillTable(props: {
  view: DrillView;
  rows: ReportRow[];
  totals: Metrics;
  aliases: Aliases;
  currency?: string;
}) {
  const { view, rows, totals, aliases, currency } = props;
  const columns = columnsOf(totals);
  const next = nextDimension(view.groupBy, filteredDimensions(view));
  const cells = (m: object) =>
    columns.map((c) => <td class="num">{formatMetric(c.kind, metricOf(m, c.field), currency)}</td>);
  return (
    <div class="scroll report-table" id="report-box">
      <table id="report">
        <thead>
          <tr>
            <SortHeader
              view={view}
              field={isTimeDimension(view.groupBy) ? "key" : "label"}
              label={dimensionTitle(view.groupBy, aliases)}
            />
            {columns.map((c) => (
              <SortHeader view={view} field={c.field} label={c.label} num />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colspan={columns.length + 1} class="muted">
                No visits or conversions in this range.
              </td>
            </tr>
          )}
          {rows.map((r) => {
            const value = filterValueOf(view.groupBy, r.key);
            return (
              <tr>
                <td title={r.label}>
                  {value === null ? r.label : <a href={viewUrl(drillInto(view, value, next))}>{r.label}</a>}
                </td>
                {cells(r)}
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th>Total</th>
            {cells(totals)}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/**
 * Date range, zone and grouping; the filters, order and limit ride along as hidden fields, in
 * the URL's order, so Apply keeps the drill-down path.
 */
export function DrillForm(props: {
  from: string;
  to: string;
  tz: string;
  groupBy: string;
  hidden: [string, string][];
  aliases: Aliases;
  errors?: string[];
}) {
  const { from, to, tz, groupBy, hidden, aliases, errors } = props;
  return (
    <RangeForm
      action="/admin/report"
      from={from}
      to={to}
      tz={tz}
      errors={errors}
      keep={[["groupBy", groupBy], ...hidden]}
    >
      <label>
        Group by
        <select name="groupBy">
          {DIMENSIONS.map((d) => (
            <option value={d} selected={d === groupBy}>
              {dimensionTitle(d, aliases)}
            </option>
          ))}
        </select>
      </label>
      {hidden.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </RangeForm>
  );
}

/** The hidden fields of a view: everything in its URL but the visible form fields. */
export const hiddenFields = (view: DrillView) =>
  [...new URLSearchParams(viewQuery(view))].filter(([k]) => !["from", "to", "tz", "groupBy"].includes(k));
