import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { logError } from "./log";

/**
 * Every 4xx/5xx this service answers has this shape: `error` for people, `code` (stable, never
 * reworded) for scripts, `issues` naming each failing field where there are several.
 */
export interface ErrorBody {
  error: string;
  code: ErrorCode;
  issues?: { path: string; message: string }[];
  /** Added to every error answer by lib/request-id.ts; log lines of the request carry it too. */
  requestId?: string;
}

const statusOf = {
  invalid_parameter: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof statusOf;

/** The code a bare status maps to (for errors raised by middleware that knows only a status). */
export function codeOfStatus(status: number): ErrorCode {
  const found = (Object.keys(statusOf) as ErrorCode[]).find((code) => statusOf[code] === status);
  return found ?? (status >= 500 ? "internal" : "invalid_parameter");
}

/** A JSON error body; the one place that spells the envelope. */
export function errorBody(code: ErrorCode, error: string, issues?: ErrorBody["issues"]): ErrorBody {
  return issues ? { error, code, issues } : { error, code };
}

/** The one error class the app throws on purpose; `onError` maps it to its status. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorBody["issues"],
    /** Extra response headers, such as a 429's Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
  get status(): ContentfulStatusCode {
    return statusOf[this.code];
  }
}

/** A field's place as people write it: `flow.rules[0].conditions[1].field`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i > 0 ? "." : ""}${String(p)}`)).join("");
}

/** An unknown key as a path segment: clipped, and visible even when it is "". */
const clipKey = (key: string) => (key === "" ? '""' : key.length > 64 ? `${key.slice(0, 64)}…` : key);

/**
 * One issue per failing field; an unknown key is named as a field of its own. An issue about
 * the whole input (a JSON array where an object belongs) is named `root`, e.g. "body".
 */
export function zodIssues(error: ZodError, root = ""): NonNullable<ErrorBody["issues"]> {
  return error.issues.flatMap((i) =>
    i.code === "unrecognized_keys"
      ? i.keys.map((key) => ({ path: issuePath([...i.path, clipKey(key)]), message: "unknown field" }))
      : [{ path: issuePath(i.path) || root, message: i.message }],
  );
}

/** "name: Too small …; url: Invalid URL" — names every field that failed. */
export function describeZodError(error: ZodError, root = ""): string {
  return describeIssues(zodIssues(error, root));
}

function describeIssues(issues: NonNullable<ErrorBody["issues"]>): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
}

export function validationError(error: ZodError, what = "Invalid request", root = ""): ApiError {
  return fieldsError(zodIssues(error, root), what);
}

/** A 400 naming each failing field, also for checks zod cannot make (an offer that must exist). */
export function fieldsError(issues: NonNullable<ErrorBody["issues"]>, what = "Invalid json"): ApiError {
  return new ApiError("invalid_parameter", `${what}: ${describeIssues(issues)}`, issues);
}

/** What a known error answers (status, body, headers); null for anything else: a 500 and a log line. */
export function errorAnswer(
  err: unknown,
): { status: ContentfulStatusCode; body: ErrorBody; headers?: Record<string, string> } | null {
  if (err instanceof ApiError)
    return { status: err.status, body: errorBody(err.code, err.message, err.issues), headers: err.headers };
  if (err instanceof HTTPException) {
    return { status: err.status, body: errorBody(codeOfStatus(err.status), err.message || "Request refused") };
  }
  return null;
}

/** Known errors keep their status and message; anything else is a generic 500 and a log line. */
export const onError: ErrorHandler = (err, c) => {
  // Middleware such as bearerAuth already built a JSON response in our envelope.
  if (err instanceof HTTPException) {
    const res = err.getResponse();
    if (res.headers.get("content-type")?.includes("json")) return res;
  }
  const known = errorAnswer(err);
  if (known) return c.json(known.body, known.status, known.headers);
  logError("unhandled error", c.req.method, c.req.path, err);
  return c.json(errorBody("internal", "Internal error"), 500);
};
