import { env } from "cloudflare:workers";
import fc from "fast-check";
import { expect } from "vitest";
import { api } from "../helpers";

/**
 * The property-based fuzzing harness (fast-check). Every fuzzer runs with a fixed seed, so
 * `npm test` is stable in CI; `npm run fuzz` raises the runs (FUZZ_RUNS, default there 1000)
 * and FUZZ_SEED picks another seed. A failure prints the seed and the shrunk input; replay it
 * with `FUZZ_SEED=<seed> npm run fuzz`.
 *
 * Surfaces and their fuzzers:
 * - admin API bodies (offers, campaigns, conversion types, settings): api-bodies.test.ts
 * - landers, traffic sources and campaign flows: sources-landers-flows.test.ts
 * - upload lines: upload.test.ts
 * - report and conversions query strings: queries.test.ts
 * - postback and pixel parameters (GET query, urlencoded and multipart bodies, aliases):
 *   postback.fuzz.test.ts
 */
export const FUZZ_SEED = Number(env.FUZZ_SEED || 20_261_117);
const RUNS = Number(env.FUZZ_RUNS || 0);

/** fast-check parameters: the fixed seed, and `runs` unless FUZZ_RUNS asks for more. */
export function fuzzParams(runs: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: RUNS > 0 ? RUNS : runs, endOnFailure: true };
}

/** Timeout for a fuzzing test of `runs` that takes up to `ms`: generous when FUZZ_RUNS is raised. */
export const fuzzTimeout = (runs: number, ms = 30_000) => Math.max(ms, ((RUNS || runs) / runs) * ms);

export interface ErrorJson {
  error: string;
  code: string;
  issues?: { path: string; message: string }[];
}

/** A field name at the start of an error: "url: …", "body: …", "Invalid json: flow.rules[0].name: …". */
const NAMED = /^(?:Invalid (?:json|query): )?[A-Za-z][\w.[\]-]*: /;

/**
 * The oracle every fuzzer shares: never a 5xx; a 4xx has the error envelope; a 400 names its
 * field, by `issues[].path` (each non-empty) or by the error's prefix; given the `names` sent,
 * the prefix must be one of them.
 */
export function expectHandled(status: number, body: unknown, context: unknown, names?: string[]): void {
  const where = JSON.stringify(context).slice(0, 500);
  expect(status, `5xx for ${where}: ${JSON.stringify(body)}`).toBeLessThan(500);
  if (status < 400) return;
  const json = body as ErrorJson;
  expect(typeof json.error, `no error text for ${where}`).toBe("string");
  expect(typeof json.code, `no error code for ${where}`).toBe("string");
  if (status !== 400) return;
  if (names) {
    const named = names.some((n) => json.error.startsWith(`${n}: `));
    return void expect(named, `400 names no parameter sent for ${where}: ${json.error}`).toBe(true);
  }
  const issuesNamed = json.issues !== undefined && json.issues.length > 0 && json.issues.every((i) => i.path !== "");
  expect(issuesNamed || NAMED.test(json.error), `400 names no field for ${where}: ${json.error}`).toBe(true);
}

/** Reads a response's body as JSON when it is JSON. */
export async function bodyOf(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A body without what two alike requests answer differently: request id, update time, new conversion's id. */
export function alike(body: unknown): unknown {
  if (body === null || typeof body !== "object") return body;
  return { ...body, requestId: undefined, updatedAt: undefined, conversionId: undefined };
}

/**
 * Sends a body through the admin API and checks the shared oracle: the status one of `ok` or a
 * refusal, and a refusal leaves every row as it was. The answer for the caller's own checks.
 */
export async function send(method: string, path: string, input: unknown, ok: number[]) {
  const before = await stored();
  const res = await api(method, path, input);
  const json = await bodyOf(res);
  expectHandled(res.status, json, { method, path, input });
  expect([...ok, 400, 404, 409], `${method} ${path} ${res.status}: ${JSON.stringify(json)}`).toContain(res.status);
  if (res.status >= 400) expect(await stored(), `${method} ${path} refused but changed something`).toEqual(before);
  return { status: res.status, json: json as Record<string, unknown>, before };
}

/** Sends the same request again: it must answer as `first` did. */
export async function expectRepeatAlike(
  method: string,
  path: string,
  input: unknown,
  first: { status: number; json: unknown },
) {
  const again = await api(method, path, input);
  expect({ status: again.status, json: alike(await bodyOf(again)) }).toEqual({
    status: first.status,
    json: alike(first.json),
  });
}

/**
 * Every row the admin API can change, read in one D1 batch: compared before and after a refused
 * request ("nothing stored"), and counted after an accepted one.
 */
export async function stored() {
  const tables = [
    "offers",
    "landers",
    "campaigns",
    "campaign_offers",
    "campaign_cost_models",
    "cost_updates",
    "traffic_sources",
    "conversion_types",
    "settings",
  ] as const;
  const results = await env.DB.batch(
    tables.map((t) =>
      env.DB.prepare(`SELECT * FROM ${t} ORDER BY ${t === "campaign_cost_models" ? "campaign_id, since" : "rowid"}`),
    ),
  );
  return Object.fromEntries(tables.map((t, i) => [t, results[i]!.results])) as Record<
    (typeof tables)[number],
    unknown[]
  >;
}

export { fc };
