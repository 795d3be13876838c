import { sourceQuery } from "../../click/source-params";
import type { TrafficSourceRow } from "../../db/schema";
import { CONVERSION_STATUSES } from "../../db/schema";
import { MAX_NAME_LENGTH } from "../../lib/names";
import { type ConversionApiSettings, storedSettings } from "../../model/conversion-api";
import { ArchivableTable, NameCell } from "../../ui/components";
import { PostForm } from "../../ui/layout";
import type { ListFigures } from "../../ui/list-figures";
import { ConversionApiFields, conversionApiValues } from "../conversion-apis/form";
import { trafficSourceInput } from "./queries";

const PLATFORM_NAMES = { meta: "Meta", tiktok: "TikTok", google: "Google Ads" };

import { MAX_VARIABLES, type TrafficSourceInput } from "./schema";

/** The form's fields, all text: what was typed, kept to show again beside the errors. */
export type SourceValues = Record<string, string>;

// Examples of networks' own macros (PropellerAds style), "${SUBID}" as plain text.
const SUBID_MACRO = `\${SUBID}`;
const COST_MACRO = `\${COST}`;
const SLOTS = Array.from({ length: MAX_VARIABLES }, (_, i) => i + 1);

export function sourceValues(row: TrafficSourceRow): SourceValues {
  return { ...inputValues(trafficSourceInput(row)), ...conversionApiValues(storedSettings(row.conversionApi)) };
}

/** A whole source (stored, or a template's) as the form's fields. */
export function inputValues(s: TrafficSourceInput): SourceValues {
  const values: SourceValues = {
    name: s.name,
    externalIdParam: s.externalId?.param ?? "",
    externalIdPlaceholder: s.externalId?.placeholder ?? "",
    costParam: s.cost?.param ?? "",
    costPlaceholder: s.cost?.placeholder ?? "",
    postbackUrl: s.postbackUrl ?? "",
    postbackFor: s.postbackFor,
  };
  for (const status of s.postbackStatuses) values[`postbackStatus.${status}`] = "on";
  for (const v of s.variables) {
    values[`var${v.slot}Param`] = v.param;
    values[`var${v.slot}Placeholder`] = v.placeholder;
    values[`var${v.slot}Alias`] = v.alias;
  }
  return values;
}

export function SourceTable({
  rows,
  showingArchived,
  figures,
}: {
  rows: TrafficSourceRow[];
  showingArchived: boolean;
  figures?: ListFigures;
}) {
  return (
    <ArchivableTable
      figures={figures}
      base="/admin/traffic-sources"
      columns={["Name", "Parameters added to tracking URLs", "Postback"]}
      rows={rows}
      empty="No traffic sources yet: add the ad network that sends your visitors below."
      showingArchived={showingArchived}
      cells={(s) => {
        const input = trafficSourceInput(s);
        return (
          <>
            <NameCell name={s.name} archived={s.archived} />
            <td class="mono">{sourceQuery(input) || "—"}</td>
            <td class="mono">
              {s.postbackUrl ? `${s.postbackUrl} (${s.postbackFor}; ${s.postbackStatuses.join(", ")})` : "—"}
              {s.conversionApi && <div>conversion API: {PLATFORM_NAMES[s.conversionApi.type]}</div>}
            </td>
          </>
        );
      }}
    />
  );
}

function PairFields({
  prefix,
  label,
  values,
  example,
}: {
  prefix: string;
  label: string;
  values: SourceValues;
  example: [string, string];
}) {
  return (
    <fieldset>
      <legend>{label} (optional: leave both blank for none)</legend>
      <label>
        Parameter
        <input
          type="text"
          name={`${prefix}Param`}
          value={values[`${prefix}Param`] ?? ""}
          maxlength={64}
          placeholder={example[0]}
        />
      </label>
      <label>
        Network placeholder
        <input
          type="text"
          name={`${prefix}Placeholder`}
          value={values[`${prefix}Placeholder`] ?? ""}
          maxlength={100}
          placeholder={example[1]}
        />
      </label>
    </fieldset>
  );
}

export function SourceForm({
  action,
  values = { "postbackStatus.approved": "on" },
  stored = null,
  errors,
  submit,
}: {
  action: string;
  values?: SourceValues;
  /** The stored conversion API: its secret fields say "set". */
  stored?: ConversionApiSettings | null;
  errors?: string[];
  submit: string;
}) {
  return (
    <PostForm action={action} errors={errors} submit={submit}>
      <label>
        Name
        <input
          type="text"
          name="name"
          value={values.name ?? ""}
          required
          maxlength={MAX_NAME_LENGTH}
          placeholder="PropellerAds"
        />
      </label>
      <PairFields
        prefix="externalId"
        label="External ID: the network's click ID"
        values={values}
        example={["clickid", SUBID_MACRO]}
      />
      <PairFields
        prefix="cost"
        label="Cost: what the network paid for the visit"
        values={values}
        example={["cost", COST_MACRO]}
      />
      <fieldset>
        <legend>
          Variables: each fills its slot, {"{var1}"}…{"{var10}"} (blank rows are not used)
        </legend>
        <table>
          <thead>
            <tr>
              <th>Slot</th>
              <th>Parameter</th>
              <th>Network placeholder</th>
              <th>Alias (shown in reports)</th>
            </tr>
          </thead>
          <tbody>
            {SLOTS.map((slot) => (
              <tr>
                <td class="num">{`var${slot}`}</td>
                {(["Param", "Placeholder", "Alias"] as const).map((field) => (
                  <td>
                    <input
                      type="text"
                      name={`var${slot}${field}`}
                      value={values[`var${slot}${field}`] ?? ""}
                      maxlength={field === "Placeholder" ? 100 : 64}
                      aria-label={`Variable ${slot} ${field === "Param" ? "parameter" : field.toLowerCase()}`}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
      <label>
        Postback URL (optional: called when a conversion registers)
        <input
          type="url"
          name="postbackUrl"
          value={values.postbackUrl ?? ""}
          maxlength={4096}
          placeholder="https://network.example/postback?clickid={externalid}&payout={payout}"
        />
      </label>
      <label>
        Send postbacks for
        <select name="postbackFor">
          <option value="conversions" selected={values.postbackFor !== "all"}>
            conversions (the default type and types counted in conversions)
          </option>
          <option value="all" selected={values.postbackFor === "all"}>
            all conversion types
          </option>
        </select>
      </label>
      <fieldset>
        <legend>
          Call the postback URL when a conversion becomes (a lead then its sale: one call with approved only)
        </legend>
        <input type="hidden" name="postbackStatus.shown" value="1" />
        {CONVERSION_STATUSES.map((status) => (
          <label>
            <input
              type="checkbox"
              name={`postbackStatus.${status}`}
              checked={Boolean(values[`postbackStatus.${status}`])}
            />{" "}
            {status}
          </label>
        ))}
      </fieldset>
      <ConversionApiFields values={values} stored={stored} />
    </PostForm>
  );
}
