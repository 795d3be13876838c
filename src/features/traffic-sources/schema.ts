import { z } from "zod";
import { CONVERSION_STATUSES } from "../../db/schema";
import { CONTROL_CHARS, nameSchema } from "../../lib/names";
import { privateHostProblem } from "../../lib/public-host";
import { urlTemplateSchema } from "../../lib/url-template";
import { conversionApiSchema } from "../../model/conversion-api";
import { VAR_SLOTS } from "../../model/vars";
import { CONVERSION_API_LABELS, conversionApiFromForm } from "../conversion-apis/form";

/** URL parameter names a source may use: RFC 3986 unreserved characters, so they need no encoding. */
export const PARAM_NAME = /^[A-Za-z0-9._~-]{1,64}$/;
export const MAX_VARIABLES = VAR_SLOTS;
export const POSTBACK_FOR = ["conversions", "all"] as const;

const param = z.string().trim().regex(PARAM_NAME, "must be 1-64 characters of A-Z, a-z, 0-9, '.', '_', '~' or '-'");
// The network's own macro, pasted into the tracking URL as written ("${SUBID}", "{zoneid}",
// "[CLICK_ID]", "##ZONE##"): anything but what would end the parameter (&) or the URL (whitespace).
const placeholder = z
  .string()
  .trim()
  .min(1, "is required")
  .max(100)
  .regex(/^[^\s&]+$/, "must not contain spaces or '&'");

const paramPair = z.strictObject({ param, placeholder });

const variable = z
  .strictObject({
    slot: z.number().int().min(1).max(MAX_VARIABLES),
    param,
    placeholder,
    alias: z
      .string()
      .trim()
      .max(64)
      .refine((v) => !CONTROL_CHARS.test(v), "must not contain control characters")
      .optional(),
  })
  // Reports show a variable under its alias; without one, under its parameter name.
  .transform((v) => ({ slot: v.slot, param: v.param, placeholder: v.placeholder, alias: v.alias || v.param }));

/** The network's postback URL: the one URL-template rule (lib/url-template.ts), tokens never in scheme or host. */
export const postbackUrlSchema = urlTemplateSchema.superRefine((value, ctx) => {
  const problem = privateHostProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

// Field rules without defaults, so PATCH can take any subset of them.
const fields = {
  name: nameSchema,
  externalId: paramPair.nullable(),
  cost: paramPair.nullable(),
  variables: z.array(variable).max(MAX_VARIABLES),
  postbackUrl: postbackUrlSchema.nullable(),
  postbackFor: z.enum(POSTBACK_FOR),
  // Sent when a conversion enters one of these; kept in the order of CONVERSION_STATUSES.
  postbackStatuses: z
    .array(z.enum(CONVERSION_STATUSES))
    .min(1, "needs at least one status (clear the postback URL to send none)")
    .transform((list) => CONVERSION_STATUSES.filter((s) => list.includes(s))),
  conversionApi: conversionApiSchema,
};

/** A whole traffic source: the API's POST body, a PATCH merged onto the stored source, the admin form. */
export const trafficSourceBody = z
  .strictObject({
    ...fields,
    externalId: fields.externalId.default(null),
    cost: fields.cost.default(null),
    variables: fields.variables.default([]),
    postbackUrl: fields.postbackUrl.default(null),
    postbackFor: fields.postbackFor.default("conversions"),
    postbackStatuses: fields.postbackStatuses.default(["approved"]),
    conversionApi: fields.conversionApi.default(null),
  })
  .superRefine((source, ctx) => {
    // One URL parameter feeds one value: names are unique across external ID, cost and variables.
    const owner = new Map<string, string>();
    const claim = (name: string, path: (string | number)[], what: string) => {
      const taken = owner.get(name);
      if (taken) ctx.addIssue({ code: "custom", path, message: `"${name}" is already the ${taken}` });
      else owner.set(name, what);
    };
    if (source.externalId) claim(source.externalId.param, ["externalId", "param"], "external ID parameter");
    if (source.cost) claim(source.cost.param, ["cost", "param"], "cost parameter");
    const slots = new Set<number>();
    source.variables.forEach((v, i) => {
      if (slots.has(v.slot))
        ctx.addIssue({ code: "custom", path: ["variables", i, "slot"], message: `slot ${v.slot} is used twice` });
      slots.add(v.slot);
      claim(v.param, ["variables", i, "param"], `parameter of variable ${v.slot}`);
    });
  })
  .transform((source) => ({ ...source, variables: source.variables.toSorted((a, b) => a.slot - b.slot) }));

/** PATCH: any of the fields, or `archived`; the result is checked whole with trafficSourceBody. */
export const trafficSourcePatch = z.object(fields).partial().extend({ archived: z.boolean().optional() }).strict();

export type TrafficSourceInput = z.output<typeof trafficSourceBody>;

const blank = (v: string | undefined) => (v ?? "").trim() === "";
const SLOTS = Array.from({ length: MAX_VARIABLES }, (_, i) => i + 1);

/**
 * The form's text fields as the API body: an external ID or cost with both fields blank is null, a
 * variable row (`var<slot>Param`, `…Placeholder`, `…Alias`) with every field blank is left out;
 * anything half filled goes to the rule, which names what is missing.
 */
export function formToBody(form: Record<string, string | undefined>) {
  const pair = (param = "", placeholder = "") => (blank(param) && blank(placeholder) ? null : { param, placeholder });
  const row = (slot: number) => ["Param", "Placeholder", "Alias"].map((f) => form[`var${slot}${f}`] ?? "");
  return {
    name: form.name ?? "",
    externalId: pair(form.externalIdParam, form.externalIdPlaceholder),
    cost: pair(form.costParam, form.costPlaceholder),
    variables: SLOTS.filter((slot) => row(slot).some((v) => !blank(v))).map((slot) => {
      const [param, placeholder, alias] = row(slot);
      return { slot, param, placeholder, alias };
    }),
    postbackUrl: blank(form.postbackUrl) ? null : form.postbackUrl,
    postbackFor: form.postbackFor || "conversions",
    // The boxes' marker field: a form without it (a script's POST) keeps the default.
    postbackStatuses: form["postbackStatus.shown"]
      ? CONVERSION_STATUSES.filter((s) => form[`postbackStatus.${s}`])
      : undefined,
    conversionApi: conversionApiFromForm(form),
  };
}

/** Both admin forms: the API's rule on the form's fields. */
export const trafficSourceForm = z.preprocess(
  (input) => formToBody(input as Record<string, string>),
  trafficSourceBody,
);

/** Labels for the form's error lines; a variable is named by its slot, not its place in the array. */
export function sourceLabels(form: Record<string, string | undefined>): Record<string, string> {
  const labels: Record<string, string> = {
    name: "Name",
    "externalId.param": "External ID parameter",
    "externalId.placeholder": "External ID placeholder",
    "cost.param": "Cost parameter",
    "cost.placeholder": "Cost placeholder",
    postbackUrl: "Postback URL",
    postbackFor: "Postback for",
    postbackStatuses: "Send postbacks when a conversion becomes",
    ...CONVERSION_API_LABELS,
  };
  formToBody(form).variables.forEach((v, i) => {
    for (const field of ["param", "placeholder", "alias", "slot"])
      labels[`variables[${i}].${field}`] = `Variable ${v.slot} ${field === "param" ? "parameter" : field}`;
  });
  return labels;
}
