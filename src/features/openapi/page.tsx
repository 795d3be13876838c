import { Hono } from "hono";
import type { OpenAPIV3_1 } from "openapi-types";
import type { AppEnv } from "../../lib/env";
import { Layout } from "../../ui/layout";
import { type ApiDocument, apiDocument } from "./document";

type Schema = OpenAPIV3_1.SchemaObject & { const?: unknown };
type Operation = OpenAPIV3_1.OperationObject;

/** A schema in a few words: `"a" | "b"`, `integer ≥ 1`, `array of string`. */
function typeText(schema: Schema | undefined): string {
  if (!schema) return "";
  if ("$ref" in schema) return String(schema.$ref).split("/").at(-1) ?? "";
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return (alternatives as Schema[]).map(typeText).join(" | ");
  if (schema.type === "array") return `array of ${typeText(schema.items as Schema)}`;
  const bounds = [
    schema.minimum !== undefined && `≥ ${schema.minimum}`,
    schema.maximum !== undefined && `≤ ${schema.maximum}`,
    schema.maxLength !== undefined && `≤ ${schema.maxLength} chars`,
    schema.format,
  ].filter(Boolean);
  return [[schema.type ?? "any"].flat().join(" | "), ...bounds].join(" ");
}

function Fields({ rows }: { rows: { name: string; where?: string; required: boolean; schema?: Schema }[] }) {
  if (!rows.length) return null;
  return (
    <table>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td>
              <code>{r.name}</code>
              {r.required ? " (required)" : ""}
            </td>
            <td class="muted">{r.where}</td>
            <td>
              <code>{typeText(r.schema)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OperationView({ method, path, op }: { method: string; path: string; op: Operation }) {
  const params = (op.parameters ?? []) as OpenAPIV3_1.ParameterObject[];
  const body = (op.requestBody as OpenAPIV3_1.RequestBodyObject | undefined)?.content["application/json"]?.schema as
    | Schema
    | undefined;
  const required = new Set(body?.required ?? []);
  const bodyRows = Object.entries(body?.properties ?? {}).map(([name, schema]) => ({
    name,
    where: "body",
    required: required.has(name),
    schema: schema as Schema,
  }));
  const responses = Object.entries(op.responses ?? {}) as [string, OpenAPIV3_1.ResponseObject][];
  return (
    <section id={`${method}-${path}`}>
      <h2>
        <code>
          {method.toUpperCase()} {path}
        </code>
      </h2>
      <Fields
        rows={[
          ...params.map((p) => ({ name: p.name, where: p.in, required: !!p.required, schema: p.schema as Schema })),
          ...bodyRows,
        ]}
      />
      <p class="muted">
        Answers:{" "}
        {responses.map(([status, r]) => ("$ref" in r ? status : `${status} ${r.description ?? ""}`.trim())).join(" · ")}
      </p>
    </section>
  );
}

/** /admin/api: the API reference, rendered here from the same OpenAPI document (no script). */
/** The reference page of `router` (the /api router, handed in by the admin site). */
export const apiReferencePages = (router: Hono<AppEnv>) =>
  new Hono<AppEnv>().get("/", async (c) => {
    const doc: ApiDocument = await apiDocument(router);
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item ?? {}).map(([method, op]) => ({ method, path, op: op as Operation })),
    );
    return c.html(
      <Layout title="API reference">
        <p class="muted">
          {doc.info.description} The machine-readable document: <code>GET /api/openapi.json</code>.
        </p>
        {operations.map((o) => (
          <OperationView {...o} />
        ))}
      </Layout>,
    );
  });
