import { Validator } from "@seriousme/openapi-schema-validator";
import openApi31 from "@seriousme/openapi-schema-validator/schemas/v3.1/schema.json";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { Hono } from "hono";
import type { OpenAPIV3_1 } from "openapi-types";
import { describe, expect, it } from "vitest";
import { api as apiRouter } from "../src/api";
import { adminSession, api, call } from "./helpers";

type Doc = OpenAPIV3_1.Document;

/** The package's validator, handed the 3.1 schema it would read from disk (workerd has no disk). */
function openApiValidator(): Validator {
  const validator = new Validator();
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  ajv.addFormat("media-range", true);
  (validator as unknown as { ajvValidators: Record<string, unknown> }).ajvValidators["3.1"] = ajv.compile(openApi31);
  return validator;
}

/** The JSON schema of an answer or a request body (fails the test when there is none). */
function answerSchema(response: unknown): OpenAPIV3_1.SchemaObject {
  const schema = (response as OpenAPIV3_1.ResponseObject | undefined)?.content?.["application/json"]?.schema;
  expect(schema).toBeDefined();
  return schema as OpenAPIV3_1.SchemaObject;
}

async function fetchDocument(): Promise<Doc> {
  const res = await api("GET", "/openapi.json");
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

describe("GET /api/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = await fetchDocument();
    const result = await openApiValidator().validate(doc as never);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
    // The check can fail: the same validator refuses a document without its info block.
    const broken = await openApiValidator().validate({ ...doc, info: undefined } as never);
    expect(broken.valid).toBe(false);
  });

  it("describes every /api route the app registers, each with a success answer", async () => {
    const doc = await fetchDocument();
    const routes = new Hono()
      .route("/api", apiRouter)
      .routes.filter((r) => r.method !== "ALL")
      .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:(\w+)/g, "{$1}") }));
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter((r) => !doc.paths?.[r.path]?.[r.method as "get"]);
    expect(missing).toEqual([]);
    const withoutSuccess = routes.filter(
      (r) => !Object.keys(doc.paths?.[r.path]?.[r.method as "get"]?.responses ?? {}).some((s) => /^2/.test(s)),
    );
    expect(withoutSuccess).toEqual([]);
  });

  it("takes the request shapes from the schemas that validate them: an unknown field is refused in both", async () => {
    const doc = await fetchDocument();
    const body = answerSchema(doc.paths?.["/api/offers"]?.post?.requestBody);
    expect(body.required).toEqual(["name", "url"]);
    expect(body.additionalProperties).toBe(false);
    const refused = await api("POST", "/offers", { name: "x", url: "https://o.example/", color: "red" });
    expect(refused.status).toBe(400);
    // The report's dimensions are listed as the validator knows them.
    const groupBy = doc.paths?.["/api/report"]?.get?.parameters?.find(
      (p) => (p as OpenAPIV3_1.ParameterObject).name === "groupBy",
    ) as OpenAPIV3_1.ParameterObject;
    expect((groupBy.schema as OpenAPIV3_1.SchemaObject).enum).toEqual(
      expect.arrayContaining(["campaign", "day", "country"]),
    );
  });

  it("describes answers: records, the report's rows and totals, and the error envelope", async () => {
    const doc = await fetchDocument();
    const offer = answerSchema(doc.paths?.["/api/offers"]?.post?.responses?.["201"]);
    expect(Object.keys(offer.properties ?? {})).toEqual(expect.arrayContaining(["id", "name", "url", "payout"]));
    const report = answerSchema(doc.paths?.["/api/report"]?.get?.responses?.["200"]);
    expect(Object.keys(report.properties ?? {})).toEqual(expect.arrayContaining(["rows", "totals", "groupBy"]));
    expect(doc.paths?.["/api/offers/{id}"]?.get?.responses?.["404"]).toEqual({ $ref: "#/components/responses/E404" });
    const conversions = answerSchema(doc.paths?.["/api/conversions"]?.get?.responses?.["200"]);
    const list = conversions.properties?.conversions as OpenAPIV3_1.ArraySchemaObject | undefined;
    const item = list?.items as OpenAPIV3_1.SchemaObject;
    expect(item?.required).toEqual(expect.arrayContaining(["clickId", "payout", "status", "currency"]));
    const upload = doc.paths?.["/api/conversions/upload"]?.post?.requestBody as OpenAPIV3_1.RequestBodyObject;
    expect(Object.keys(upload.content)).toEqual(["text/plain"]);
    const error = doc.components?.schemas?.Error as OpenAPIV3_1.SchemaObject;
    expect(error.required).toEqual(["error", "code"]);
  });

  it("needs the bearer token like every /api route", async () => {
    expect((await call("/api/openapi.json")).status).toBe(401);
  });
});

describe("/admin/api", () => {
  it("renders the reference from the document, escaped, with no script of its own", async () => {
    const session = await adminSession();
    const res = await session.get("/admin/api");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain("GET /api/report");
    expect(html).toContain("POST /api/offers");
    expect(html).toContain("groupBy");
    expect(html.match(/<script/g)?.length).toBe(1); // the layout's own copy.js only
  });
});
