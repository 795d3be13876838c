import type { Settings } from "../../model/settings";
import { CopyField, PostForm } from "../../ui/layout";
import type { Campaign } from "../campaigns/queries";
import { MAX_SECRET_LENGTH, objectLines, type SETTINGS_LABELS } from "./schema";

export type SettingsValues = Partial<Record<keyof typeof SETTINGS_LABELS, string>>;

export function settingsValues(s: Settings): SettingsValues {
  return {
    postbackSecret: s.postbackSecret ?? "",
    postbackAllowedIps: s.postbackAllowedIps.join("\n"),
    timezone: s.timezone,
    statusMap: objectLines(s.statusMap),
    currency: s.currency,
    currencyRates: objectLines(s.currencyRates),
  };
}

export function postbackTemplate(origin: string, secret: string | null): string {
  const base = `${origin}/postback?cid=REPLACE&payout=OPTIONAL&txid=OPTIONAL&et=OPTIONAL`;
  return secret ? `${base}&secret=${encodeURIComponent(secret)}` : base;
}

export function PostbackUrl({ origin, secret }: { origin: string; secret: string | null }) {
  return (
    <>
      <p>
        Give this URL to the affiliate network. Replace <code>REPLACE</code> with the network's macro for the click ID
        you passed it (the offer URL's <code>{"{clickid}"}</code>); replace or drop each <code>OPTIONAL</code>{" "}
        parameter: <code>payout</code> (decimal, may be negative), <code>txid</code> (transaction ID, at most 128
        characters), <code>et</code> (a conversion type name), <code>status</code> (approved, pending, rejected or a
        word below), <code>currency</code> (ISO 4217 code of the payout). GET and POST both work. A network's own
        parameter names work too: <code>subid</code>, <code>clickid</code>, <code>revenue</code>, <code>tid</code>,{" "}
        <code>cnv_status</code> and the others docs/conversions.md lists.
      </p>
      <CopyField value={postbackTemplate(origin, secret)} label="Postback URL template" />
    </>
  );
}

export function TrackingUrls({
  campaigns,
  trackingUrl,
}: {
  campaigns: Campaign[];
  trackingUrl: (campaign: Campaign) => string;
}) {
  if (campaigns.length === 0) return <p class="muted">No campaigns yet.</p>;
  return (
    <table>
      <tbody>
        {campaigns.map((c) => (
          <tr>
            <td>{c.name}</td>
            <td>
              <CopyField value={trackingUrl(c)} label={`Tracking URL of ${c.name}`} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SettingsForm({ values, errors }: { values: SettingsValues; errors?: string[] }) {
  return (
    <PostForm action="/admin/settings" errors={errors} submit="Save settings">
      <label>
        <span>
          Postback secret (empty = none; when set, postbacks must carry <code>secret=</code>)
        </span>
        <input
          type="text"
          name="postbackSecret"
          value={values.postbackSecret ?? ""}
          maxlength={MAX_SECRET_LENGTH}
          autocomplete="off"
        />
      </label>
      <label>
        Allowed source IPs (one address or CIDR range per line; empty = any source)
        <textarea name="postbackAllowedIps" rows={4} placeholder="203.0.113.0/24">
          {"\n" + (values.postbackAllowedIps ?? "")}
        </textarea>
      </label>
      <label>
        Report time zone (IANA name)
        <input type="text" name="timezone" value={values.timezone ?? "UTC"} required />
      </label>
      <label>
        Status words of your networks (one <code>word = approved | pending | rejected</code> per line; built in: sale,
        lead, hold, declined, chargeback)
        <textarea name="statusMap" rows={3} placeholder="reg = pending">
          {"\n" + (values.statusMap ?? "")}
        </textarea>
      </label>
      <label>
        Account currency (ISO 4217; reports and payouts are in it)
        <input type="text" name="currency" value={values.currency ?? "USD"} maxlength={3} required />
      </label>
      <label>
        Exchange rates (one <code>CODE = units of the account currency per unit</code> per line; a payout in another
        currency is converted at the rate in force when it arrives)
        <textarea name="currencyRates" rows={3} placeholder="EUR = 1.08">
          {"\n" + (values.currencyRates ?? "")}
        </textarea>
      </label>
    </PostForm>
  );
}
