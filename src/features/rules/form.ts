import { z } from "zod";
import type { RuleRow } from "../../db/schema";
import { ruleBody } from "./schema";

/** How many condition rows the form offers. */
export const FORM_CONDITIONS = 3;

export type RuleFormValues = Record<string, string>;

const numberOrText = (v: string | undefined) => (v !== undefined && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);

/** The admin form as the API's body, checked by the API's own schema (blank condition rows left out). */
export const ruleForm = z.preprocess((input) => {
  const f = input as RuleFormValues;
  const ids = (f.campaignIds ?? "").trim();
  return {
    name: f.name,
    ...(ids !== "" && { campaignIds: ids.split(/[\s,]+/).map(numberOrText) }),
    dimension: f.dimension,
    window: { hours: numberOrText(f.windowHours) },
    conditions: Array.from({ length: FORM_CONDITIONS }, (_, i) => i)
      .filter((i) => (f[`value${i}`] ?? "").trim() !== "")
      .map((i) => ({ metric: f[`metric${i}`], op: f[`op${i}`], value: numberOrText(f[`value${i}`]) })),
    action: f.action === "notify" ? { type: "notify", url: f.url ?? "" } : { type: f.action },
    enabled: f.enabled === "on",
  };
}, ruleBody);

export const RULE_LABELS = {
  name: "Name",
  campaignIds: "Campaigns",
  dimension: "Dimension",
  "window.hours": "Window (hours)",
  conditions: "Conditions",
  action: "Action",
  "action.type": "Action",
  "action.url": "Webhook URL",
};

/** A saved rule as form values (the log page's preview reuses the form). */
export function ruleValues(row: RuleRow): RuleFormValues {
  const out: RuleFormValues = {
    name: row.name,
    campaignIds: (row.campaignIds ?? []).join(", "),
    dimension: row.dimension,
    windowHours: String(row.windowHours),
    action: row.action.type,
    url: row.action.type === "notify" ? row.action.url : "",
    enabled: row.enabled ? "on" : "",
  };
  row.conditions.forEach((c, i) => {
    out[`metric${i}`] = c.metric;
    out[`op${i}`] = c.op;
    out[`value${i}`] = String(c.value);
  });
  return out;
}
