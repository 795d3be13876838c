import type { OpenAPIV3_1 } from "openapi-types";
import { z } from "zod";

type ApiDocument = OpenAPIV3_1.Document;

import { conversionSchema, errorSchema, reportSchema } from "./shapes";

type Schema = OpenAPIV3_1.SchemaObject;
type Operation = OpenAPIV3_1.OperationObject;

const json = (schema: Schema, description: string) => ({ description, content: { "application/json": { schema } } });
const toSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: "output" }) as Schema;
const object: Schema = { type: "object" };
const list = (key: string, item: Schema, paged = false): Schema => ({
  type: "object",
  properties: { [key]: { type: "array", items: item }, ...(paged && { nextCursor: { type: ["string", "null"] } }) },
  required: [key],
});

/** The fields a route's JSON body takes, as the answer carries them back (it may add more). */
function bodyFields(doc: ApiDocument, path: string, method: "post" | "patch"): Schema {
  const body = doc.paths?.[path]?.[method]?.requestBody as OpenAPIV3_1.RequestBodyObject | undefined;
  const schema = body?.content["application/json"]?.schema as Schema | undefined;
  const { additionalProperties: _, ...rest } = schema ?? object;
  return { ...rest, type: "object" } as Schema;
}

/** A record as the API answers it: the fields it was created with, its id and timestamps. */
function record(doc: ApiDocument, collection: string): Schema {
  const { required = [], ...fields } = bodyFields(doc, collection, "post");
  const properties = {
    ...fields.properties,
    id: { type: "integer" },
    createdAt: { type: "string", format: "date-time" },
  };
  return { ...fields, properties, required: ["id", ...required] } as Schema;
}

// Collections of records: GET lists them under this key; POST, GET/PATCH/DELETE /{id} answer one.
const COLLECTIONS: Record<string, string> = {
  "/api/offers": "offers",
  "/api/landers": "landers",
  "/api/campaigns": "campaigns",
  "/api/traffic-sources": "trafficSources",
  "/api/conversion-types": "conversionTypes",
  "/api/cost-updates": "costUpdates",
  "/api/users": "users",
  "/api/keys": "keys",
  "/api/rules": "rules",
};

/** The success answer of each route that is not a plain collection of records. */
function otherSuccesses(doc: ApiDocument): Record<string, [number, OpenAPIV3_1.ResponseObject]> {
  const settings = bodyFields(doc, "/api/settings", "patch");
  return {
    "get /api/report": [200, json(toSchema(reportSchema), "Rows per group and totals")],
    "get /api/settings": [200, json(settings, "The account settings")],
    "patch /api/settings": [200, json(settings, "The settings after the change")],
    "get /api/postbacks": [200, json(list("postbacks", object, true), "Postback log entries, newest first")],
    "get /api/source-postbacks": [200, json(list("deliveries", object, true), "Source postback deliveries")],
    "post /api/source-postbacks/{id}/retry": [202, json(object, "The delivery, queued again")],
    "get /api/traffic-source-templates": [200, json(list("templates", object), "Traffic source templates")],
    "get /api/conversions": [
      200,
      {
        description: "Conversions, newest first; `format=csv` answers text/csv",
        content: { "application/json": { schema: list("conversions", conversionSchema, true) }, "text/csv": {} },
      },
    ],
    "post /api/conversions/upload": [200, json(object, "What the upload registered (or would, with dryRun)")],
    "get /api/visits/{clickId}": [200, json(object, "The visit, its lander clicks and its conversions")],
    "get /api/openapi.json": [200, json(object, "This document")],
    "get /api/audit": [200, json(list("entries", object, true), "Audit log entries, newest first")],
    "post /api/rules/{id}/run": [200, json(object, "What the rule found and did")],
    "post /api/rules/{id}/preview": [200, json(object, "What the rule would do now, changing nothing")],
    "get /api/rules/{id}/log": [200, json(object, "The rule's firings, newest first")],
    "get /api/campaigns/{id}/blocklist": [200, json(object, "The campaign's blocklist")],
    "delete /api/campaigns/{id}/blocklist/{dimension}/{value}": [200, json(object, "The blocklist after the removal")],
    "get /api/campaigns/{id}/weights": [200, json(object, "The learned weights' history")],
  };
}

const ERROR_CASES: [string, string, (op: Operation, path: string) => boolean][] = [
  [
    "400",
    "A parameter or field is invalid (each one named in issues)",
    (op, p) => p.includes("{") || !!op.parameters?.length || !!op.requestBody,
  ],
  ["401", "Missing or wrong bearer token", () => true],
  ["403", "The key's or user's role may not use this route (docs/teams.md)", () => true],
  ["404", "No such record", (_op, p) => p.includes("{")],
  ["413", "Body too large", (op) => !!op.requestBody],
  ["415", "The body is not sent as application/json", (op) => !!op.requestBody],
  ["429", "Too many failed logins from this address (Retry-After)", () => true],
  ["500", "Internal error (logged; the body tells nothing internal)", () => true],
  ["503", "ADMIN_TOKEN is not configured, or a dependency is unavailable", () => true],
];

/** Adds every route's answers: its success body and the errors it can give, in one envelope. */
export function describeResponses(doc: ApiDocument): ApiDocument {
  const others = otherSuccesses(doc);
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {}) as [string, Operation][]) {
      const collection = Object.keys(COLLECTIONS).find((c) => path === c || path === `${c}/{id}`);
      let success = others[`${method} ${path}`];
      if (!success && collection) {
        const one = record(doc, collection);
        success =
          method === "get" && path === collection
            ? [200, json(list(COLLECTIONS[collection], one), "The records, newest first")]
            : [method === "post" ? 201 : 200, json(one, "The record")];
      }
      const responses: OpenAPIV3_1.ResponsesObject = success ? { [success[0]]: success[1] } : {};
      for (const [status, , applies] of ERROR_CASES)
        if (applies(op, path)) responses[status] = { $ref: `#/components/responses/E${status}` };
      op.responses = responses;
    }
  }
  // The upload is the one body that is not JSON: no validator describes it.
  const upload = doc.paths?.["/api/conversions/upload"]?.post;
  if (upload)
    upload.requestBody = {
      required: true,
      description: "One conversion per line, fields separated by commas (docs/conversions.md)",
      content: { "text/plain": { schema: { type: "string" } } },
    };
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, Error: toSchema(errorSchema) },
    responses: Object.fromEntries(
      ERROR_CASES.map(([status, description]) => [
        `E${status}`,
        json({ $ref: "#/components/schemas/Error" } as Schema, description),
      ]),
    ),
  };
  return doc;
}
