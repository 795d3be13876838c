import type { OfferRow, TrafficSourceRow } from "../../db/schema";
import { MAX_NAME_LENGTH } from "../../lib/names";
import { costFormValues, costModelLabel } from "../../model/cost-model";
import { ArchivableTable, NameCell } from "../../ui/components";
import { CopyField, PostForm } from "../../ui/layout";
import type { ListFigures } from "../../ui/list-figures";
import type { Campaign } from "./queries";
import { formOffers, MAX_WEIGHT } from "./schema";

const COST_CHOICES: [string, string][] = [
  ["auto", "auto: the traffic source's cost parameter"],
  ["cpc", "CPC: the amount per visit"],
  ["cpm", "CPM: the amount per thousand visits"],
  ["cpa", "CPA: the amount per approved conversion"],
  ["revshare", "Revshare: a percent of revenue"],
  ["none", "none: no cost"],
];

export type CampaignValues = {
  name?: string;
  costType?: string;
  costValue?: string;
  trafficSourceId?: string;
  weights: Record<number, string>;
};

export function campaignValues(row: Campaign): CampaignValues {
  return {
    name: row.name,
    ...costFormValues(row.costModel),
    trafficSourceId: row.trafficSourceId === null ? "" : String(row.trafficSourceId),
    weights: Object.fromEntries(row.offers.map((o) => [o.offerId, String(o.weight)])),
  };
}

/** A refused form, shown again as typed. */
export function formValues(form: Record<string, string>): CampaignValues {
  return {
    name: form.name,
    costType: form.costType,
    costValue: form.costValue,
    trafficSourceId: form.trafficSourceId,
    weights: Object.fromEntries(formOffers(form).map((o) => [o.offerId, o.weight])),
  };
}

/** A campaign's report by day over the list's range. */
const reportUrl = (id: number, f?: ListFigures) =>
  `/admin/report?${new URLSearchParams({ groupBy: "day", campaignId: String(id), ...(f?.stats && { from: f.from, to: f.to, tz: f.tz }) })}`;

export function CampaignTable({
  rows,
  offers,
  trackingUrl,
  showingArchived,
  figures,
}: {
  rows: Campaign[];
  offers: OfferRow[];
  trackingUrl: (campaign: Campaign) => string;
  showingArchived: boolean;
  figures?: ListFigures;
}) {
  const offerName = new Map(offers.map((o) => [o.id, o.name]));
  return (
    <ArchivableTable
      figures={figures}
      base="/admin/campaigns"
      columns={["Name", "Traffic source", "Offers (weight)", "Cost model", "Tracking URL"]}
      rows={rows}
      empty="No campaigns yet: create an offer first, then a campaign below."
      showingArchived={showingArchived}
      cells={(c) => (
        <>
          <NameCell name={c.name} archived={c.archived} href={reportUrl(c.id, figures)} />
          <td>{c.trafficSource?.name ?? "—"}</td>
          <td>
            {c.flow !== null && <a href={`/admin/campaigns/${c.id}/flow`}>Flow: rules and landers</a>}
            {c.offers.map((o) => (
              <div>
                {offerName.get(o.offerId) ?? `offer ${o.offerId}`} ({o.weight})
              </div>
            ))}
          </td>
          <td>{costModelLabel(c.costModel)}</td>
          <td>
            <CopyField value={trackingUrl(c)} label={`Tracking URL of campaign ${c.id}`} />
          </td>
        </>
      )}
    />
  );
}

export function CampaignForm(props: {
  action: string;
  offers: OfferRow[];
  /** Live sources, plus the campaign's own when it was archived since. */
  sources: TrafficSourceRow[];
  values?: CampaignValues;
  errors?: string[];
  submit: string;
}) {
  const { action, offers, sources, values = { weights: {} }, errors, submit } = props;
  return (
    <PostForm action={action} errors={errors} submit={submit}>
      <label>
        Name
        <input type="text" name="name" value={values.name ?? ""} required maxlength={MAX_NAME_LENGTH} />
      </label>
      <label>
        Cost model
        <select name="costType">
          {COST_CHOICES.map(([type, label]) => (
            <option value={type} selected={(values.costType || "auto") === type}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Cost amount, or percent of revenue for revshare (blank for auto: 0 when the source sends none)
        <input type="text" name="costValue" value={values.costValue ?? ""} inputmode="decimal" placeholder="0.02" />
      </label>
      <label>
        Traffic source (its parameters are added to the tracking URL)
        <select name="trafficSourceId">
          <option value="" selected={!values.trafficSourceId}>
            none: the link reads var1…var10 and externalid
          </option>
          {sources.map((s) => (
            <option value={String(s.id)} selected={values.trafficSourceId === String(s.id)}>
              {s.archived ? `${s.name} (archived)` : s.name}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Offers: give each offer in the rotation a weight (blank = not used)</legend>
        {offers.length === 0 ? (
          <p class="error">
            There are no offers yet. <a href="/admin/offers">Create an offer</a> first.
          </p>
        ) : (
          <table>
            <tbody>
              {offers.map((o) => (
                <tr>
                  <td>
                    <label for={`weight_${o.id}`}>{o.name}</label>
                    <div class="muted mono">{o.url}</div>
                  </td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      max={MAX_WEIGHT}
                      step={1}
                      id={`weight_${o.id}`}
                      name={`weight_${o.id}`}
                      value={values.weights[o.id] ?? ""}
                      aria-label={`Weight of ${o.name}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </fieldset>
    </PostForm>
  );
}
