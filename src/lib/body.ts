import type { MiddlewareHandler } from "hono";
import { ApiError } from "./errors";

/** JSON bodies of /api/* and admin form posts (uploads excepted): far above any real object, far below a flood. */
export const BODY_MAX_BYTES = 64 * 1024;

/** The uploads, which read their larger bodies under a cap of their own (features/upload). */
export const hasOwnBodyCap = (path: string) =>
  path.startsWith("/api/conversions/upload") || path.startsWith("/admin/upload/");

export interface BodyCapOptions {
  maxBytes: number;
  /** The 413 to answer; by default one naming the body and the limit. */
  tooLarge?: () => ApiError;
  /** Requests this cap leaves to a route-level cap of their own (the upload has a larger one). */
  skip?: (path: string) => boolean;
}

export function bodyTooLarge(maxBytes: number): ApiError {
  const size = maxBytes % 1024 === 0 ? `${maxBytes / 1024} KiB` : `${maxBytes} bytes`;
  return new ApiError("payload_too_large", `body: at most ${size} per request`);
}

const connectionLost = () =>
  new ApiError("invalid_parameter", "body: the connection closed before the whole body arrived");

/**
 * Reads the request body, at most maxBytes of it, before the handler runs. A declared
 * Content-Length over the limit is refused from the headers alone, a streamed body as soon as
 * it crosses the limit, and a client that goes away mid-body is a 400 naming the body rather
 * than an "unhandled error". Register it after authentication, so nobody unauthenticated makes
 * the worker wait for a body (docs/conversions.md's 413 comes before anything is read or registered).
 */
export function bodyCap(options: BodyCapOptions): MiddlewareHandler {
  const { maxBytes, skip } = options;
  const tooLarge = options.tooLarge ?? (() => bodyTooLarge(maxBytes));
  return async function bodyCap(c, next) {
    const stream = c.req.raw.body;
    // A GET or HEAD body is never read (and a Request of either method cannot be given one).
    if (!stream || c.req.method === "GET" || c.req.method === "HEAD" || skip?.(c.req.path)) return next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge();
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = stream.getReader();
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch {
        throw connectionLost();
      }
      if (read.done) break;
      size += read.value.byteLength;
      if (size > maxBytes) {
        reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(read.value);
    }
    c.req.raw = new Request(c.req.raw, { body: concat(chunks, size) });
    return next();
  };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
