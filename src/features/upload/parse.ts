import type { ConversionRequest } from "../../ingest/types";
import { ApiError } from "../../lib/errors";

/**
 * Upload limits (docs/conversions.md). 100,000 lines of the usual shape (a 32-character click ID, a payout, a
 * transaction ID of ~20 characters, a type and a time: ~110 bytes) take ~11 MB, so 16 MiB leaves
 * room while keeping a whole upload's text and results well inside a Worker's 128 MB of memory.
 */
export const MAX_UPLOAD_LINES = 100_000;
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

/** The seven fields of a line, in order (docs/conversions.md); only the click ID is required. */
const FIELDS = ["clickId", "payout", "txid", "type", "time", "status", "currency"] as const;
export const LINE_FORMAT = "click ID, payout, transaction ID, conversion type, conversion time, status, currency";

export type UploadLine =
  | { line: number; clickId: string; request: ConversionRequest }
  | { line: number; clickId: string; error: string };

export function tooManyLines(): ApiError {
  return new ApiError(
    "payload_too_large",
    `Upload too large: at most ${MAX_UPLOAD_LINES.toLocaleString("en-US")} lines and ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB per upload; split it into several uploads`,
  );
}

/**
 * Splits pasted text into conversion requests, one per non-blank line, numbered as the user sees
 * them (blank lines count). Tolerates a byte-order mark, CRLF or CR line ends and whitespace
 * around fields; a line's format problems are reported on that line only. Throws 413 beyond
 * MAX_UPLOAD_LINES.
 */
export function parseUpload(text: string): UploadLine[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: UploadLine[] = [];
  const rawLines = body.split(/\r\n|\r|\n/);
  for (let i = 0; i < rawLines.length; i++) {
    const raw = rawLines[i]!.trim();
    if (raw === "") continue;
    if (out.length === MAX_UPLOAD_LINES) throw tooManyLines();
    out.push(parseLine(raw, i + 1));
  }
  return out;
}

function parseLine(raw: string, line: number): UploadLine {
  const values = raw.split(",").map((v) => v.trim());
  const clickId = values[0]!;
  if (values.length > FIELDS.length) {
    return {
      line,
      clickId,
      error: `too many fields (${values.length}): a line holds at most ${FIELDS.length}, ${LINE_FORMAT}`,
    };
  }
  if (clickId === "") return { line, clickId, error: "click ID: missing (it is the first field)" };
  const request: ConversionRequest = { source: "upload", clickId };
  FIELDS.forEach((field, k) => {
    const value = values[k];
    if (k > 0 && value) request[field as Exclude<typeof field, "clickId">] = value;
  });
  return { line, clickId, request };
}
