import type { Child } from "hono/jsx";
import type { ZodType, z } from "zod";
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";
import { isValidTimeZone } from "../lib/timezone";
import { type DateRange, type RangeQuery, resolveRange } from "../reports/range";
import { parseForm } from "./forms";
import { Errors } from "./layout";
import { rangePresets } from "./range-presets";

const LABELS = { from: "From", to: "To", tz: "Time zone", groupBy: "Group by", campaignId: "Campaign", cursor: "Page" };

export type RangeResult<T> =
  | { ok: true; query: T; range: DateRange }
  | { ok: false; errors: string[]; values: Record<string, string> };

/**
 * Reads the filter form (a GET query) with the API's own schema; errors come back as lines to show.
 * `keepEmpty` names parameters whose empty value means something (a report filter's "none").
 */
export async function readRange<S extends ZodType<RangeQuery>>(
  db: Db,
  schema: S,
  input: Record<string, string>,
  keepEmpty: (name: string) => boolean = () => false,
): Promise<RangeResult<z.output<S>>> {
  // Empty fields mean "default", as when the parameter is left out of an API call.
  const values = Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== "" || keepEmpty(k)));
  const parsed = parseForm(schema, values, LABELS);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, values };
  try {
    return { ok: true, query: parsed.data, range: await resolveRange(db, parsed.data) };
  } catch (err) {
    if (!(err instanceof ApiError) || !err.issues) throw err;
    return {
      ok: false,
      errors: err.issues.map((i) => `${LABELS[i.path as keyof typeof LABELS] ?? i.path}: ${i.message}`),
      values,
    };
  }
}

// ICU (and so Intl.supportedValuesOf) still lists some zones under their old names; the menu
// shows the current IANA name. Both spellings are accepted when typed into the API.
const RENAMED: Record<string, string> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Louisville": "America/Kentucky/Louisville",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

function zoneNames(current: string): string[] {
  const zones = new Set<string>([
    "UTC",
    ...Intl.supportedValuesOf("timeZone")
      .map((z) => RENAMED[z] ?? z)
      .sort(),
  ]);
  zones.add(current);
  return [...zones];
}

/**
 * Date range, time zone and whatever else a page filters on; submitted with GET, so no CSRF token.
 * The presets are links to the same page with `keep` (its other parameters) and a preset's days.
 */
export function RangeForm({
  action,
  from,
  to,
  tz,
  errors,
  keep = [],
  children,
}: {
  action: string;
  from: string;
  to: string;
  tz: string;
  errors?: string[];
  keep?: [string, string][];
  children?: Child;
}) {
  const others = keep.filter(([k]) => k !== "from" && k !== "to" && k !== "tz");
  const zone = isValidTimeZone(tz) ? tz : "UTC";
  return (
    <form class="stack range-form" method="get" action={action}>
      <Errors errors={errors} />
      <nav class="presets" aria-label="Date range presets">
        {rangePresets(zone).map((p) => (
          <a
            href={`${action}?${new URLSearchParams([...others, ["from", p.from], ["to", p.to], ["tz", zone]])}`}
            aria-current={p.from === from && p.to === to ? "true" : undefined}
          >
            {p.label}
          </a>
        ))}
      </nav>
      <label>
        From <input type="date" name="from" value={from} required />
      </label>
      <label>
        To <input type="date" name="to" value={to} required />
      </label>
      <label>
        Time zone
        <select name="tz">
          {zoneNames(tz).map((z) => (
            <option value={z} selected={z === tz}>
              {z}
            </option>
          ))}
        </select>
      </label>
      {children}
      <p>
        <button type="submit">Apply</button>
      </p>
    </form>
  );
}

/** "All campaigns" or one, archived ones included (their history is still reported). */
export function CampaignSelect({ campaigns, value }: { campaigns: { id: number; name: string }[]; value?: string }) {
  return (
    <label>
      Campaign
      <select name="campaignId">
        <option value="">All campaigns</option>
        {campaigns.map((k) => (
          <option value={String(k.id)} selected={String(k.id) === value}>
            {k.name}
          </option>
        ))}
      </select>
    </label>
  );
}
