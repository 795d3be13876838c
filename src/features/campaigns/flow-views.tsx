import type { LanderRow, OfferRow } from "../../db/schema";
import type { DraftPath } from "./flow-form";

/** zod's and the reference check's messages by field name (`flow.rules[0].name`). */
export type FieldErrors = Map<string, string[]>;

/**
 * Messages about `at`, shown under its field; with `within`, also those about its entries
 * (`[` for a list's values, `.` for a row's fields).
 */
export function FieldError({ errors, at, within }: { errors: FieldErrors; at: string; within?: "[" | "." }) {
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

export const Op = ({ value, label, kind = "secondary" }: { value: string; label: string; kind?: string }) => (
  <button type="submit" name="op" value={value} class={kind}>
    {label}
  </button>
);

/**
 * A field's name; in the hidden templates (`tpl`) only its last part, so the template posts
 * nothing and the editor's script names the copy by where it lands.
 */
export const named = (name: string, tpl?: boolean) => (tpl ? { "data-leaf": name.split(".").pop() } : { name });

function Choice<T extends { id: number; name: string; archived: boolean }>(props: {
  name: string;
  tpl?: boolean;
  value: string;
  items: T[];
  label: string;
  describe?: (item: T) => string;
}) {
  return (
    <select {...named(props.name, props.tpl)} aria-label={props.label}>
      <option value="">— choose —</option>
      {props.items.map((item) => (
        <option value={String(item.id)} selected={String(item.id) === props.value}>
          {`${item.name} (#${item.id}${props.describe ? `, ${props.describe(item)}` : ""})${item.archived ? " (archived)" : ""}`}
        </option>
      ))}
    </select>
  );
}

export type Lists = { landers: LanderRow[]; offers: OfferRow[]; errors: FieldErrors; tpl?: boolean };

const Weight = (p: { name: string; value: string; label: string; tpl?: boolean }) => (
  <input type="number" min={0} max={10000} step={1} {...named(p.name, p.tpl)} value={p.value} aria-label={p.label} />
);

/** A lander (`kind` landers) or offer row of a path; `at` is the row's own place. */
export function ItemRow(
  props: Lists & { kind: "landers" | "offers"; at: string; k: number; id: string; weight: string },
) {
  const { kind, at, k, errors, tpl } = props;
  const lander = kind === "landers";
  const noun = lander ? "lander" : "offer";
  return (
    <tr data-kind={kind}>
      <td>{lander ? "Lander" : `Offer ${k + 1} (/click/${k + 1})`}</td>
      <td>
        {lander ? (
          <Choice
            name={`${at}.landerId`}
            tpl={tpl}
            value={props.id}
            items={props.landers}
            label={`Lander ${k + 1}`}
            describe={(x) => `${x.offerCount} CTA`}
          />
        ) : (
          <Choice name={`${at}.offerId`} tpl={tpl} value={props.id} items={props.offers} label={`Offer ${k + 1}`} />
        )}
        <FieldError errors={errors} at={at} within="." />
      </td>
      <td>
        <Weight name={`${at}.weight`} value={props.weight} label={`Weight of ${noun} ${k + 1}`} tpl={tpl} />
      </td>
      <td>
        <Op value={`remove:${at}`} label="Remove" kind="danger" />
      </td>
    </tr>
  );
}

export function PathEditor(props: Lists & { at: string; path: DraftPath }) {
  const { at, path, errors, tpl } = props;
  return (
    <fieldset class="path">
      <legend>{path.name || "Path"}</legend>
      <input type="hidden" {...named(`${at}.id`, tpl)} value={path.id} />
      <label>
        Path name
        <input type="text" {...named(`${at}.name`, tpl)} value={path.name} maxlength={200} />
      </label>
      <FieldError errors={errors} at={`${at}.name`} />
      <label>
        Path weight (0–10000)
        <input type="number" min={0} max={10000} step={1} {...named(`${at}.weight`, tpl)} value={path.weight} />
      </label>
      <FieldError errors={errors} at={`${at}.weight`} />
      <label>
        Learn weights (optimize, JSON such as {'{"metric":"epc","windowHours":72,"minShare":0.05}'}; blank: fixed)
        <input type="text" {...named(`${at}.optimize`, tpl)} value={path.optimize} />
      </label>
      <FieldError errors={errors} at={`${at}.optimize`} />
      <table>
        <tbody>
          {path.landers.map((l, k) => (
            <ItemRow {...props} kind="landers" at={`${at}.landers[${k}]`} k={k} id={l.landerId} weight={l.weight} />
          ))}
          {path.offers.map((o, k) => (
            <ItemRow {...props} kind="offers" at={`${at}.offers[${k}]`} k={k} id={o.offerId} weight={o.weight} />
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
