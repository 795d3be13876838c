import { Hono } from "hono";
import { generateSpecs } from "hono-openapi";
import type { OpenAPIV3_1 } from "openapi-types";
import type { AppEnv } from "../../lib/env";
import { describeResponses } from "./responses";

export type ApiDocument = OpenAPIV3_1.Document;

const INFO = {
  title: "clicktrail API",
  version: "1",
  description:
    "The admin JSON API of a clicktrail tracker. Every route needs `Authorization: Bearer <token>`: " +
    "the owner's ADMIN_TOKEN or an API key, whose role decides what it may use (403 otherwise). " +
    "Errors always have the body `{ error, code, issues? }`. Reference: docs/api.md in the repository.",
};

let cached: Promise<ApiDocument> | undefined;

/**
 * The OpenAPI 3.1 document of every route under /api, generated from the zod schemas that
 * validate the requests (lib/validate.ts marks them for hono-openapi) and the answers described
 * in ./responses.ts. Built once per isolate: the routes cannot change while it runs.
 */
export function apiDocument(api: Hono<AppEnv>): Promise<ApiDocument> {
  cached ??= build(api).catch((err) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

async function build(api: Hono<AppEnv>): Promise<ApiDocument> {
  const mounted = new Hono<AppEnv>().route("/api", api);
  const doc = (await generateSpecs(mounted, {
    documentation: {
      openapi: "3.1.0",
      info: INFO,
      servers: [{ url: "/" }],
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    includeEmptyPaths: true,
    excludeStaticFile: false,
    // Our 400 envelope is described with every other error in ./responses.ts.
    defaultValidationErrorResponse: false,
  })) as ApiDocument;
  return describeResponses(doc);
}
