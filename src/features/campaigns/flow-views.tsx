import { CONDITION_FIELDS } from "../../click/flow-schema";
import type { LanderRow, OfferRow } from "../../db/schema";
import type { Draft, DraftPath } from "./flow-form";

/** zod's and the reference check's messages by field name (`flow.rules[0].name`). */
export type FieldErrors = Map<string, string[]>;

const HINTS: Partial<Record<string, string>> = {
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

/**
 * Messages about `at`, shown under its field; with `within`, also those about its entries
 * (`[` for a list's values, `.` for a row's fields).
 */
function FieldError({ errors, at, within }: { errors: FieldErrors; at: string; within?: "[" | "." }) {
  const mine = (path: string) => path === at || (within !== undefined && path.startsWith(at + within));
  const messages = [...errors].filter(([path]) => mine(path)).flatMap(([, m]) => m);
  if (messages.length === 0) return null;
  return (
    <div class="error" role="alert" data-for={at}>
      {messages.map((m) => (
        <div>{m}</div>
      ))}
    </div>
  );
}

const Op = ({ value, label, kind = "secondary" }: { value: string; label: string; kind?: string }) => (
  <button type="submit" name="op" value={value} class={kind}>
    {label}
  </button>
);

function Choice<T extends { id: number; name: string; archived: boolean }>(props: {
  name: string;
  value: string;
  items: T[];
  label: string;
  describe?: (item: T) => string;
}) {
  return (
    <select name={props.name} aria-label={props.label}>
      <option value="">— choose —</option>
      {props.items.map((item) => (
        <option value={String(item.id)} selected={String(item.id) === props.value}>
          {`${item.name} (#${item.id}${props.describe ? `, ${props.describe(item)}` : ""})${item.archived ? " (archived)" : ""}`}
        </option>
      ))}
    </select>
  );
}

function PathEditor(props: {
  at: string;
  path: DraftPath;
  landers: LanderRow[];
  offers: OfferRow[];
  errors: FieldErrors;
}) {
  const { at, path, errors } = props;
  const weight = (name: string, value: string, label: string) => (
    <input type="number" min={0} max={10000} step={1} name={name} value={value} aria-label={label} />
  );
  return (
    <fieldset class="path">
      <legend>{path.name || "Path"}</legend>
      <input type="hidden" name={`${at}.id`} value={path.id} />
      <label>
        Path name
        <input type="text" name={`${at}.name`} value={path.name} maxlength={200} />
      </label>
      <FieldError errors={errors} at={`${at}.name`} />
      <label>
        Path weight (0–10000)
        <input type="number" min={0} max={10000} step={1} name={`${at}.weight`} value={path.weight} />
      </label>
      <FieldError errors={errors} at={`${at}.weight`} />
      <label>
        Learn weights (optimize, JSON such as {'{"metric":"epc","windowHours":72,"minShare":0.05}'}; blank: fixed)
        <input type="text" name={`${at}.optimize`} value={path.optimize} />
      </label>
      <FieldError errors={errors} at={`${at}.optimize`} />
      <table>
        <tbody>
          {path.landers.map((l, k) => (
            <tr>
              <td>Lander</td>
              <td>
                <Choice
                  name={`${at}.landers[${k}].landerId`}
                  value={l.landerId}
                  items={props.landers}
                  label={`Lander ${k + 1}`}
                  describe={(x) => `${x.offerCount} CTA`}
                />
                <FieldError errors={errors} at={`${at}.landers[${k}]`} within="." />
              </td>
              <td>{weight(`${at}.landers[${k}].weight`, l.weight, `Weight of lander ${k + 1}`)}</td>
              <td>
                <Op value={`remove:${at}.landers[${k}]`} label="Remove" kind="danger" />
              </td>
            </tr>
          ))}
          {path.offers.map((o, k) => (
            <tr>
              <td>{`Offer ${k + 1} (/click/${k + 1})`}</td>
              <td>
                <Choice
                  name={`${at}.offers[${k}].offerId`}
                  value={o.offerId}
                  items={props.offers}
                  label={`Offer ${k + 1}`}
                />
                <FieldError errors={errors} at={`${at}.offers[${k}]`} within="." />
              </td>
              <td>{weight(`${at}.offers[${k}].weight`, o.weight, `Weight of offer ${k + 1}`)}</td>
              <td>
                <Op value={`remove:${at}.offers[${k}]`} label="Remove" kind="danger" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FieldError errors={errors} at={`${at}.landers`} />
      <FieldError errors={errors} at={`${at}.offers`} />
      <p>
        <Op value={`addLander:${at}`} label="Add lander" /> <Op value={`addOffer:${at}`} label="Add offer" />{" "}
        <Op value={`remove:${at}`} label="Remove path" kind="danger" />
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
  const { draft, errors, aliases } = props;
  const paths = (list: DraftPath[], at: (j: number) => string) =>
    list.map((p, j) => (
      <PathEditor at={at(j)} path={p} landers={props.landers} offers={props.offers} errors={errors} />
    ));
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
      {draft.rules.map((r, i) => {
        const at = `flow.rules[${i}]`;
        return (
          <fieldset class="rule">
            <legend>{`Rule ${i + 1}: ${r.name}`}</legend>
            <input type="hidden" name={`${at}.id`} value={r.id} />
            <label>
              Rule name
              <input type="text" name={`${at}.name`} value={r.name} maxlength={200} />
            </label>
            <FieldError errors={errors} at={`${at}.name`} />
            <p class="muted">Conditions (all must hold):</p>
            <table>
              <tbody>
                {r.conditions.map((c, k) => (
                  <tr>
                    <td>
                      <select name={`${at}.conditions[${k}].field`} aria-label={`Field of condition ${k + 1}`}>
                        {CONDITION_FIELDS.map((f) => (
                          <option value={f} selected={f === c.field}>
                            {aliases[f] ?? f}
                          </option>
                        ))}
                      </select>
                      <FieldError errors={errors} at={`${at}.conditions[${k}].field`} />
                    </td>
                    <td>
                      <select name={`${at}.conditions[${k}].op`} aria-label={`Operator of condition ${k + 1}`}>
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
                        name={`${at}.conditions[${k}].values`}
                        rows={2}
                        placeholder={HINTS[c.field] ?? ""}
                        aria-label={`Values of condition ${k + 1}`}
                      >
                        {c.values}
                      </textarea>
                      <FieldError errors={errors} at={`${at}.conditions[${k}].values`} within="[" />
                    </td>
                    <td>
                      <Op value={`remove:${at}.conditions[${k}]`} label="Remove" kind="danger" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <FieldError errors={errors} at={`${at}.conditions`} />
            <p>
              <select name={`field:${at}`} aria-label={`Field of a new condition in rule ${i + 1}`}>
                {CONDITION_FIELDS.map((f) => (
                  <option value={f}>{aliases[f] ?? f}</option>
                ))}
              </select>{" "}
              <Op value={`addCondition:${at}`} label="Add condition" />
            </p>
            {paths(r.paths, (j) => `${at}.paths[${j}]`)}
            <FieldError errors={errors} at={`${at}.paths`} />
            <p>
              <Op value={`addPath:${at}`} label="Add path" />{" "}
              <Op value={`remove:${at}`} label="Remove rule" kind="danger" />
            </p>
          </fieldset>
        );
      })}
      <p>
        <Op value="addRule" label="Add rule" />
      </p>
      <h2>Default paths</h2>
      <p class="muted">Visitors no rule takes go down one of these, picked by weight.</p>
      {paths(draft.defaultPaths, (j) => `flow.defaultPaths[${j}]`)}
      <FieldError errors={errors} at="flow.defaultPaths" />
      <p>
        <Op value="addPath:flow" label="Add default path" />
      </p>
      <Op value="save" label="Save flow" kind="" />
    </form>
  );
}

/** On the campaign's edit page: how it routes, and the way to its flow editor. */
export function FlowNotice({ id, hasFlow }: { id: number; hasFlow: boolean }) {
  return hasFlow ? (
    <p class="notice">
      This campaign routes visitors through its <a href={`/admin/campaigns/${id}/flow`}>flow</a> (rules, landers,
      paths). Leave the offer weights below blank to keep it; giving offers weights replaces the flow with that
      rotation.
    </p>
  ) : (
    <p>
      Rotates the offers below. <a href={`/admin/campaigns/${id}/flow`}>Route through a flow instead</a> (rules by
      country, device, time…, landers).
    </p>
  );
}
