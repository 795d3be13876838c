import type { RuleRow } from "../../db/schema";
import { DIMENSIONS } from "../../model/dimensions";
import { DataTable } from "../../ui/components";
import { Errors } from "../../ui/layout";
import type { Evaluation } from "./evaluate";
import { FORM_CONDITIONS, type RuleFormValues } from "./form";
import { ACTION_TYPES, RULE_METRICS, RULE_OPS } from "./schema";

const time = (ms: number | string) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);

export function describeRule(r: RuleRow): string {
  const when = r.conditions.map((c) => `${c.metric} ${c.op} ${c.value}`).join(" and ");
  return `${when}, by ${r.dimension}, last ${r.windowHours} h`;
}

function Select({
  name,
  options,
  value,
  label,
}: {
  name: string;
  options: readonly string[];
  value?: string;
  label?: string;
}) {
  return (
    <select name={name} id={`rule-${name}`} aria-label={label}>
      {options.map((o) => (
        <option value={o} selected={value === o}>
          {o}
        </option>
      ))}
    </select>
  );
}

/** The rule form: the API's fields; Preview shows what it would do now, Save stores it. */
export function RuleForm({
  action,
  values = {},
  errors,
}: {
  action: string;
  values?: RuleFormValues;
  errors?: string[];
}) {
  // A new form starts enabled; a submitted one keeps what was ticked.
  const v: RuleFormValues = { windowHours: "24", ...(Object.keys(values).length === 0 ? { enabled: "on" } : values) };
  return (
    <form class="stack" method="post" action={action}>
      <Errors errors={errors} />
      <label>
        Name <input name="name" required value={v.name ?? ""} />
      </label>
      <label>
        Campaigns (ids, comma-separated; blank for every campaign)
        <input name="campaignIds" value={v.campaignIds ?? ""} />
      </label>
      <label for="rule-dimension">Dimension</label>
      <Select name="dimension" options={DIMENSIONS} value={v.dimension ?? "var1"} />
      <label>
        Window (hours, 1–720) <input name="windowHours" inputmode="numeric" value={v.windowHours} />
      </label>
      <fieldset>
        <legend>Conditions (all must hold; leave a value blank to skip the row)</legend>
        {Array.from({ length: FORM_CONDITIONS }, (_, i) => (
          <p>
            <Select name={`metric${i}`} options={RULE_METRICS} value={v[`metric${i}`]} label={`Metric ${i + 1}`} />{" "}
            <Select name={`op${i}`} options={RULE_OPS} value={v[`op${i}`] ?? ">="} label={`Operator ${i + 1}`} />{" "}
            <input name={`value${i}`} aria-label={`Value ${i + 1}`} inputmode="decimal" value={v[`value${i}`] ?? ""} />
          </p>
        ))}
      </fieldset>
      <label for="rule-action">Action</label>
      <Select name="action" options={ACTION_TYPES} value={v.action ?? "blocklist"} />
      <label>
        Webhook URL (notify only) <input name="url" type="url" value={v.url ?? ""} />
      </label>
      <label class="check">
        <input type="checkbox" name="enabled" checked={v.enabled === "on"} /> Enabled (the cron runs it every 5 minutes)
      </label>
      <p>
        <button type="submit" name="intent" value="preview" class="secondary">
          Preview
        </button>{" "}
        <button type="submit" name="intent" value="save">
          Save rule
        </button>
      </p>
    </form>
  );
}

/** What the rule matches now and what it would do (or did). */
export function EvaluationView({ evaluation: e, title }: { evaluation: Evaluation; title: string }) {
  return (
    <section>
      <h2>{title}</h2>
      <p class="muted">
        {e.campaigns} campaign{e.campaigns === 1 ? "" : "s"} looked at, from {time(e.window.from)} to{" "}
        {time(e.window.to)} UTC.
      </p>
      <DataTable
        columns={[
          "Campaign",
          "Value",
          { label: "Visits", num: true },
          { label: "Conversions", num: true },
          { label: "Revenue", num: true },
          { label: "Cost", num: true },
          { label: "Profit", num: true },
          "Acted before",
        ]}
        rows={e.matches}
        empty="Nothing matches now."
        row={(m) => (
          <tr>
            <td>{m.campaignId}</td>
            <td class="mono">{m.label}</td>
            <td class="num">{m.visits}</td>
            <td class="num">{m.conversions}</td>
            <td class="num">{m.revenue}</td>
            <td class="num">{m.cost}</td>
            <td class="num">{m.profit}</td>
            <td>{m.acted ? "yes (acts again only after it stops matching)" : "no"}</td>
          </tr>
        )}
      />
      <h3>Actions</h3>
      <DataTable
        columns={["Campaign", "Value", "Action", "Result"]}
        rows={e.actions}
        empty="No action."
        row={(a) => (
          <tr>
            <td>{a.campaignId}</td>
            <td class="mono">{a.label}</td>
            <td>{a.action}</td>
            <td>{a.result}</td>
          </tr>
        )}
      />
    </section>
  );
}

/** Every rule with its switch, a run button and its log. */
export function RuleTable({ rows }: { rows: RuleRow[] }) {
  return (
    <DataTable
      columns={["Rule", "When", "Campaigns", "Action", "State", ""]}
      rows={rows}
      empty="No rules yet."
      row={(r) => (
        <tr>
          <td>
            <a href={`/admin/rules/${r.id}`}>{r.name}</a>
          </td>
          <td>{describeRule(r)}</td>
          <td>{r.campaignIds ? r.campaignIds.join(", ") : "every campaign"}</td>
          <td>{r.action.type === "notify" ? `notify ${r.action.url}` : r.action.type}</td>
          <td>{r.enabled ? "enabled" : "disabled"}</td>
          <td>
            <form class="inline" method="post" action={`/admin/rules/${r.id}/toggle`}>
              <button type="submit" class="secondary">
                {r.enabled ? "Disable" : "Enable"}
              </button>
            </form>{" "}
            <form class="inline" method="post" action={`/admin/rules/${r.id}/run`}>
              <button type="submit">Run now</button>
            </form>{" "}
            <form class="inline" method="post" action={`/admin/rules/${r.id}/delete`}>
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
