import { CopyField, PostForm } from "../../admin/layout";
import type { Campaign } from "../campaigns/queries";
import type { Settings } from "./queries";
import { MAX_SECRET_LENGTH } from "./schema";

export type SettingsValues = Partial<Record<"postbackSecret" | "postbackAllowedIps" | "timezone", string>>;

export function settingsValues(s: Settings): SettingsValues {
  return {
    postbackSecret: s.postbackSecret ?? "",
    postbackAllowedIps: s.postbackAllowedIps.join("\n"),
    timezone: s.timezone,
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
        characters), <code>et</code> (a conversion type name). GET and POST both work.
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
    </PostForm>
  );
}
