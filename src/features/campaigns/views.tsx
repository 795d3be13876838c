import { z } from "zod";
import { ArchivableTable, money, NameCell } from "../../admin/components";
import { CopyField, PostForm } from "../../admin/layout";
import type { OfferRow } from "../../db/schema";
import { parseMicros } from "../../lib/money";
import type { Campaign } from "./queries";

/** The form sends one `weight_<offerId>` field per offer; blank means "not in this campaign". */
export function campaignInput(form: Record<string, string>) {
  const offers = Object.entries(form)
    .filter(([key, value]) => /^weight_\d+$/.test(key) && value.trim() !== "")
    .map(([key, value]) => ({ offerId: Number(key.slice(7)), weight: value.trim() }));
  return { name: form.name, costPerClick: form.costPerClick, offers };
}

export const campaignForm = z.object({
  name: z.string().trim().min(1, "is required").max(200),
  costPerClick: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const micros = parseMicros(v);
      if (micros === null || micros < 0) {
        ctx.addIssue({ code: "custom", message: "must be a decimal amount such as 0.02, or empty for none" });
        return z.NEVER;
      }
      return micros;
    }),
  offers: z
    .array(
      z.object({
        offerId: z.number().int().positive(),
        weight: z
          .string()
          .regex(/^\d{1,5}$/, "weights are whole numbers from 0 to 10000")
          .transform(Number)
          .pipe(z.number().max(10_000, "weights are at most 10000")),
      }),
    )
    .min(1, "give at least one offer a weight")
    .max(50, "at most 50 offers per campaign")
    .refine((list) => list.some((o) => o.weight > 0), "at least one offer needs a weight above 0"),
});

export const CAMPAIGN_LABELS = { name: "Name", costPerClick: "Cost per click", offers: "Offers" };

export type CampaignValues = { name?: string; costPerClick?: string; weights: Record<number, string> };

export function campaignValues(row: Campaign): CampaignValues {
  return {
    name: row.name,
    costPerClick: row.costPerClickMicros === null ? "" : money(row.costPerClickMicros),
    weights: Object.fromEntries(row.offers.map((o) => [o.offerId, String(o.weight)])),
  };
}

export function formValues(form: Record<string, string>): CampaignValues {
  const input = campaignInput(form);
  return {
    name: input.name,
    costPerClick: input.costPerClick,
    weights: Object.fromEntries(input.offers.map((o) => [o.offerId, o.weight])),
  };
}

export function CampaignTable({
  rows,
  offers,
  trackingUrl,
  showingArchived,
}: {
  rows: Campaign[];
  offers: OfferRow[];
  trackingUrl: (id: number) => string;
  showingArchived: boolean;
}) {
  const offerName = new Map(offers.map((o) => [o.id, o.name]));
  return (
    <ArchivableTable
      base="/admin/campaigns"
      columns={["Name", "Offers (weight)", { label: "Cost per click", num: true }, "Tracking URL"]}
      rows={rows}
      empty="No campaigns yet: create an offer first, then a campaign below."
      showingArchived={showingArchived}
      cells={(c) => (
        <>
          <NameCell name={c.name} archived={c.archived} />
          <td>
            {c.flow !== null && <a href={`/admin/campaigns/${c.id}/flow`}>Flow: rules and landers</a>}
            {c.offers.map((o) => (
              <div>
                {offerName.get(o.offerId) ?? `offer ${o.offerId}`} ({o.weight})
              </div>
            ))}
          </td>
          <td class="num">{c.costPerClickMicros === null ? "—" : money(c.costPerClickMicros)}</td>
          <td>
            <CopyField value={trackingUrl(c.id)} label={`Tracking URL of campaign ${c.id}`} />
          </td>
        </>
      )}
    />
  );
}

export function CampaignForm(props: {
  action: string;
  offers: OfferRow[];
  values?: CampaignValues;
  errors?: string[];
  submit: string;
}) {
  const { action, offers, values = { weights: {} }, errors, submit } = props;
  return (
    <PostForm action={action} errors={errors} submit={submit}>
      <label>
        Name
        <input type="text" name="name" value={values.name ?? ""} required maxlength={200} />
      </label>
      <label>
        Cost per click (optional)
        <input
          type="text"
          name="costPerClick"
          value={values.costPerClick ?? ""}
          inputmode="decimal"
          placeholder="0.02"
        />
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
                      max={10000}
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
