import type { LanderRow, OfferRow } from "../../db/schema";
import { newPath } from "./flow-form";
import { ConditionRow, HINTS, RuleEditor } from "./flow-rule-views";
import { ItemRow, PathEditor } from "./flow-views";

/**
 * Blank copies of each part of the flow editor, for its script (flow.client.js) to clone on
 * "Add" instead of reloading the page. Their fields carry `data-leaf` rather than a name, so
 * nothing here is posted; the script names each copy by the place it lands in.
 */
export function FlowTemplates(props: {
  landers: LanderRow[];
  offers: OfferRow[];
  aliases: Partial<Record<string, string>>;
}) {
  const lists = { ...props, errors: new Map(), tpl: true };
  const row = (kind: "landers" | "offers") => (
    <template id={`flow-tpl-${kind}`}>
      <table>
        <tbody>
          <ItemRow {...lists} kind={kind} at="" k={0} id="" weight="100" />
        </tbody>
      </table>
    </template>
  );
  return (
    <>
      <template id="flow-tpl-rule">
        <RuleEditor {...lists} i={0} rule={{ id: "", name: "Rule", conditions: [], paths: [newPath(1)] }} />
      </template>
      <template id="flow-tpl-path">
        <PathEditor {...lists} at="" path={newPath(1)} />
      </template>
      <template id="flow-tpl-conditions" data-hints={JSON.stringify(HINTS)}>
        <table>
          <tbody>
            <ConditionRow
              at=""
              k={0}
              c={{ field: "country", op: "in", values: "" }}
              errors={lists.errors}
              tpl
              aliases={props.aliases}
            />
          </tbody>
        </table>
      </template>
      {row("landers")}
      {row("offers")}
    </>
  );
}
