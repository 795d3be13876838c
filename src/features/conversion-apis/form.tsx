import { type ConversionApiSettings, PLATFORMS, type Platform, SECRET_FIELDS } from "../../model/conversion-api";
import { PostForm } from "../../ui/layout";

/** The form's fields of each platform, named "<platform>.<field>"; secrets are write-only inputs. */
const FIELDS: Record<Platform, { name: string; label: string; optional?: boolean; hint?: string }[]> = {
  meta: [
    { name: "pixelId", label: "Pixel (dataset) ID", hint: "Events Manager → Data sources → the pixel's ID" },
    {
      name: "accessToken",
      label: "Access token",
      hint: "Events Manager → Settings → Conversions API → Generate access token",
    },
    {
      name: "testEventCode",
      label: "Test event code",
      optional: true,
      hint: "Events Manager → Test events (remove it once events show there)",
    },
  ],
  tiktok: [
    { name: "pixelCode", label: "Pixel code", hint: "Events Manager → Web events → the pixel's code" },
    { name: "accessToken", label: "Access token", hint: "the pixel's Settings → Events API → Generate access token" },
    { name: "testEventCode", label: "Test event code", optional: true, hint: "the pixel's Test events tab" },
  ],
  google: [
    { name: "customerId", label: "Customer ID", hint: "the account's 10 digits, 123-456-7890" },
    { name: "conversionActionId", label: "Conversion action ID", hint: "the ctId in the conversion action's URL" },
    { name: "developerToken", label: "Developer token" },
    { name: "clientId", label: "OAuth client ID" },
    { name: "clientSecret", label: "OAuth client secret" },
    { name: "refreshToken", label: "Refresh token" },
    { name: "loginCustomerId", label: "Login customer ID (manager account)", optional: true },
  ],
};
const NAMES = { meta: "Meta Conversions API", tiktok: "TikTok Events API", google: "Google Ads conversion upload" };
const isSecret = (p: Platform, f: string) => (SECRET_FIELDS[p] as readonly string[]).includes(f);

/** The section's fields as the API's `conversionApi` (null for none); blank secrets are left out, so kept. */
export function conversionApiFromForm(form: Record<string, string | undefined>) {
  const type = form["capi.type"];
  if (!type) return null;
  if (!(PLATFORMS as readonly string[]).includes(type)) return { type };
  const body: Record<string, unknown> = { type };
  for (const f of FIELDS[type as Platform]) {
    const value = (form[`${type}.${f.name}`] ?? "").trim();
    if (value !== "" || !(f.optional || isSecret(type as Platform, f.name))) body[f.name] = value;
  }
  const lines = (form["capi.eventNames"] ?? "").split("\n").filter((l) => l.trim() !== "");
  if (lines.length > 0)
    body.eventNames = Object.fromEntries(
      lines.map((l) => [l.split("=")[0]!.trim(), l.split("=").slice(1).join("=").trim()]),
    );
  if ((form["capi.endpoint"] ?? "").trim() !== "") body.endpoint = form["capi.endpoint"]!.trim();
  return body;
}

/** A stored conversion API as the form's fields (its secrets stay blank). */
export function conversionApiValues(api: ConversionApiSettings | null): Record<string, string> {
  if (!api) return { "capi.type": "" };
  const values: Record<string, string> = { "capi.type": api.type };
  for (const [k, v] of Object.entries(api)) if (typeof v === "string" && k !== "type") values[`${api.type}.${k}`] = v;
  values["capi.eventNames"] = Object.entries(api.eventNames ?? {})
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n");
  values["capi.endpoint"] = api.endpoint ?? "";
  return values;
}

/** Labels for the form's error lines. */
export const CONVERSION_API_LABELS: Record<string, string> = {
  conversionApi: "Conversion API",
  "conversionApi.type": "Conversion API: platform",
  "conversionApi.eventNames": "Conversion API: event names",
  "conversionApi.endpoint": "Conversion API: endpoint",
  ...Object.fromEntries(
    Object.values(FIELDS).flatMap((fields) =>
      fields.map((f) => [`conversionApi.${f.name}`, `Conversion API: ${f.label}`]),
    ),
  ),
};

/** The source form's "Conversion API" section: a platform, then that platform's fields. */
export function ConversionApiFields({
  values,
  stored,
}: {
  values: Record<string, string>;
  stored: ConversionApiSettings | null;
}) {
  const current = values["capi.type"] ?? "";
  return (
    <fieldset>
      <legend>Conversion API: send approved conversions to the ad platform (docs/conversion-apis.md)</legend>
      <label>
        Platform
        <select name="capi.type">
          <option value="" selected={current === ""}>
            none
          </option>
          {PLATFORMS.map((p) => (
            <option value={p} selected={current === p}>
              {NAMES[p]}
            </option>
          ))}
        </select>
      </label>
      {PLATFORMS.map((p) => (
        <fieldset>
          <legend>{NAMES[p]} (used when it is the platform chosen above)</legend>
          {FIELDS[p].map((f) => {
            const secret = isSecret(p, f.name);
            const set = secret && stored?.type === p;
            return (
              <label>
                {f.label}
                {f.optional && " (optional)"}
                <input
                  type={secret ? "password" : "text"}
                  name={`${p}.${f.name}`}
                  value={secret ? "" : (values[`${p}.${f.name}`] ?? "")}
                  autocomplete={secret ? "new-password" : "off"}
                  placeholder={set ? "set: leave blank to keep" : (f.hint ?? "")}
                />
              </label>
            );
          })}
        </fieldset>
      ))}
      <label>
        Event names (optional, one per line: "default = Purchase", "lead = Lead"; Google uses its conversion action)
        <textarea name="capi.eventNames" rows={3}>
          {values["capi.eventNames"] ?? ""}
        </textarea>
      </label>
      <label>
        Endpoint (optional: a proxy in place of the platform's base URL)
        <input type="url" name="capi.endpoint" value={values["capi.endpoint"] ?? ""} maxlength={500} />
      </label>
    </fieldset>
  );
}

/** "Send a test event": the platform's test-event code (Meta, TikTok) or validateOnly (Google). */
export function TestEventForm({ action, api }: { action: string; api: ConversionApiSettings | null }) {
  if (!api) return null;
  const how =
    api.type === "google"
      ? "Google Ads checks an upload with validateOnly: nothing is recorded."
      : api.testEventCode
        ? `Sent with test event code ${api.testEventCode}: it shows under Test events, not in reports.`
        : "Set a test event code above first: without one a test event would count as a real conversion.";
  return (
    <>
      <h2>Test the conversion API</h2>
      <p class="muted">{how}</p>
      <PostForm action={action} submit="Send a test event">
        {null}
      </PostForm>
    </>
  );
}
