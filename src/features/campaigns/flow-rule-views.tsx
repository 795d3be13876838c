import { CONDITION_FIELDS } from "../../click/flow-schema";
import type { LanderRow, OfferRow } from "../../db/schema";
import type { Draft, DraftRule } from "./flow-form";
import { FieldError, type FieldErrors, type Lists, named, Op, PathEditor } from "./flow-views";

/** What a condition's values look like, as the placeholder of its field. */
export const HINTS: Partial<Record<string, string>> = {
  country: "US, CA",
  language: "en, de",
  device: "mobile, tablet (desktop, tv, console, wearable, other)",
  asn: "13335",
  ip: "203.0.113.0/24, 2001:db8::/32",
  weekday: "0 = Sunday … 6 = Saturday",
  hour: "0 … 23",
  bot: "true or false",
  referrerDomain: "google.com",
};

/** A rule's condition row; `at` is the row's own place. */
export function ConditionRow(props: {
  at: string;
  k: number;
  c: DraftRule["conditions"][number];
  errors: FieldErrors;
  tpl?: boolean;
  /** the campaign's traffic source's names for var slots ("var1" → "Zone"), as the report shows them */
  aliases?: Partial<Record<string, string>>;
}) {
  const { at, k, c, errors, tpl } = props;
  const aliases = props.aliases ?? {};
  return (
    <tr data-kind="conditions">
      <td>
        <select {...named(`${at}.field`, tpl)} aria-label={`Field of condition ${k + 1}`}>
          {CONDITION_FIELDS.map((f) => (
            <option value={f} selected={f === c.field}>
              {aliases[f] ?? f}
            </option>
          ))}
        </select>
        <FieldError errors={errors} at={`${at}.field`} />
      </td>
      <td>
        <select {...named(`${at}.op`, tpl)} aria-label={`Operator of condition ${k + 1}`}>
          <option value="in" selected={c.op !== "notIn"}>
            is one of
          </option>
          <option value="notIn" selected={c.op === "notIn"}>
            is none of
          </option>
        </select>
      </td>
      <td>
        <textarea
          {...named(`${at}.values`, tpl)}
          rows={2}
          placeholder={HINTS[c.field] ?? ""}
          aria-label={`Values of condition ${k + 1}`}
        >
          {c.values}
        </textarea>
        <FieldError errors={errors} at={`${at}.values`} within="[" />
      </td>
      <td>
        <Op value={`remove:${at}`} label="Remove" kind="danger" />
      </td>
    </tr>
  );
}

export function RuleEditor(props: Lists & { i: number; rule: DraftRule; aliases?: Partial<Record<string, string>> }) {
  const { i, rule: r, errors, tpl } = props;
  const at = `flow.rules[${i}]`;
  return (
    <fieldset class="rule">
      <legend>{`Rule ${i + 1}: ${r.name}`}</legend>
      <input type="hidden" {...named(`${at}.id`, tpl)} value={r.id} />
      <label>
        Rule name
        <input type="text" {...named(`${at}.name`, tpl)} value={r.name} maxlength={200} />
      </label>
      <FieldError errors={errors} at={`${at}.name`} />
      <p class="muted">Conditions (all must hold):</p>
      <table>
        <tbody>
          {r.conditions.map((c, k) => (
            <ConditionRow at={`${at}.conditions[${k}]`} k={k} c={c} errors={errors} tpl={tpl} aliases={props.aliases} />
          ))}
        </tbody>
      </table>
      <FieldError errors={errors} at={`${at}.conditions`} />
      <p>
        <select
          {...(tpl ? { "data-leaf": "field:" } : { name: `field:${at}` })}
          aria-label={`Field of a new condition in rule ${i + 1}`}
        >
          {CONDITION_FIELDS.map((f) => (
            <option value={f}>{props.aliases?.[f] ?? f}</option>
          ))}
        </select>{" "}
        <Op value={`addCondition:${at}`} label="Add condition" />
      </p>
      {r.paths.map((p, j) => (
        <PathEditor {...props} at={`${at}.paths[${j}]`} path={p} />
      ))}
      <FieldError errors={errors} at={`${at}.paths`} />
      <p>
        <Op value={`addPath:${at}`} label="Add path" /> <Op value={`remove:${at}`} label="Remove rule" kind="danger" />
      </p>
    </fieldset>
  );
}

export function FlowEditor(props: {
  action: string;
  draft: Draft;
  landers: LanderRow[];
  offers: OfferRow[];
  errors: FieldErrors;
  /** the campaign's traffic source's names for var slots ("var1" → "Zone"), as the report shows them */
  aliases: Partial<Record<string, string>>;
}) {
  const { draft, errors } = props;
  return (
    <form class="stack flow" method="post" action={props.action}>
      {/* First in the form: Enter in a field saves rather than pressing an add or remove button. */}
      <Op value="save" label="Save flow" kind="" />
      <FieldError errors={errors} at="flow" />
      <h2>Rules</h2>
      <p class="muted">
        Tried in order: the first rule whose conditions all hold sends the visitor down one of its paths, picked by
        weight. Values: one per line or comma-separated; text matches ignore case.
      </p>
      {draft.rules.map((r, i) => (
        <RuleEditor {...props} i={i} rule={r} />
      ))}
      <p>
        <Op value="addRule" label="Add rule" />
      </p>
      <h2>Default paths</h2>
      <p class="muted">Visitors no rule takes go down one of these, picked by weight.</p>
      {draft.defaultPaths.map((p, j) => (
        <PathEditor {...props} at={`flow.defaultPaths[${j}]`} path={p} />
      ))}
      <FieldError errors={errors} at="flow.defaultPaths" />
      <p>
        <Op value="addPath:flow" label="Add default path" />
      </p>
      <Op value="save" label="Save flow" kind="" />
    </form>
  );
}
