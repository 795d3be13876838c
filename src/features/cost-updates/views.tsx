import type { CostUpdateRow } from "../../db/schema";
import { microsToDecimal } from "../../lib/money";
import { type Dimension, dimensionOfParam, dimensionTitle } from "../../model/dimensions";
import { DataTable } from "../../ui/components";
import { PostForm } from "../../ui/layout";
import { COST_UPDATE_FILTERS, FORM_FILTER_ROWS } from "./schema";

const BASE = "/admin/cost-updates";

type Aliases = Partial<Record<string, string>>;

/** "var1" → the campaign's source's alias ("Zone") or "var1", "offerId" → "Offer", "path" → "Path". */
const filterTitle = (param: string, aliases: Aliases = {}) => {
  const dim = dimensionOfParam(param);
  return aliases[param] ?? (dim ? dimensionTitle(dim as Dimension) : param);
};

export function CostUpdateTable({
  rows,
  campaignNames,
  aliases,
}: {
  rows: CostUpdateRow[];
  campaignNames: Map<number, string>;
  /** campaign id → its source's var aliases */
  aliases: Map<number, Aliases>;
}) {
  return (
    <DataTable
      columns={[
        "ID",
        "Campaign",
        "Days",
        "Time zone",
        "Filters",
        { label: "Total cost", num: true },
        { label: "Visits when made", num: true },
        "Made (UTC)",
        "",
      ]}
      rows={rows}
      empty="No cost updates: reports use the cost each visit was recorded with."
      row={(u) => (
        <tr>
          <td>{u.id}</td>
          <td>{campaignNames.get(u.campaignId) ?? `campaign ${u.campaignId}`}</td>
          <td>{u.fromDay === u.toDay ? u.fromDay : `${u.fromDay} – ${u.toDay}`}</td>
          <td>{u.tz}</td>
          <td>
            {Object.keys(u.filters).length === 0
              ? "all visits"
              : Object.entries(u.filters).map(([k, v]) => (
                  <div>
                    {filterTitle(k, aliases.get(u.campaignId))} = {v}
                  </div>
                ))}
          </td>
          <td class="num">{String(microsToDecimal(u.amountMicros))}</td>
          <td class="num">{u.visits}</td>
          <td>{new Date(u.createdAt).toISOString().replace("T", " ").slice(0, 16)}</td>
          <td>
            <form class="inline" method="post" action={`${BASE}/${u.id}/delete`}>
              <button type="submit" class="danger">
                Delete
              </button>
            </form>
          </td>
        </tr>
      )}
    />
  );
}

export type CostUpdateValues = Record<string, string | undefined>;

/** The create form: campaign, whole days in a zone, the total, and filters as in the report. */
export function CostUpdateForm(props: {
  campaigns: { id: number; name: string }[];
  values: CostUpdateValues;
  errors?: string[];
  /** the chosen campaign's source's var aliases */
  aliases?: Aliases;
}) {
  const { campaigns, values, errors, aliases } = props;
  return (
    <PostForm action={BASE} errors={errors} submit="Set the cost">
      <label>
        Campaign
        <select name="campaignId" required>
          <option value="">choose a campaign</option>
          {campaigns.map((c) => (
            <option value={String(c.id)} selected={values.campaignId === String(c.id)}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input type="date" name="from" value={values.from ?? ""} required />
      </label>
      <label>
        To
        <input type="date" name="to" value={values.to ?? ""} required />
      </label>
      <label>
        Time zone of the days
        <input type="text" name="tz" value={values.tz ?? ""} />
      </label>
      <label>
        Total cost of the matching visits
        <input
          type="text"
          name="amount"
          value={values.amount ?? ""}
          inputmode="decimal"
          placeholder="125.40"
          required
        />
      </label>
      <fieldset>
        <legend>Only visits with (optional, as the report's filters)</legend>
        {Array.from({ length: FORM_FILTER_ROWS }, (_, i) => i + 1).map((i) => (
          <div class="pair">
            <select name={`filter${i}`} aria-label={`Filter ${i}`}>
              <option value="">no filter</option>
              {COST_UPDATE_FILTERS.map((f) => (
                <option value={f} selected={values[`filter${i}`] === f}>
                  {filterTitle(f, aliases)}
                </option>
              ))}
            </select>
            <input type="text" name={`value${i}`} value={values[`value${i}`] ?? ""} aria-label={`Value ${i}`} />
          </div>
        ))}
      </fieldset>
    </PostForm>
  );
}
