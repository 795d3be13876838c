import { ingest } from "../../ingest";
import type { ConversionField, IngestResult } from "../../ingest/types";
import { parseUpload } from "./parse";

export interface UploadSummary {
  total: number;
  accepted: number;
  /** Status transitions of conversions registered before (docs/conversions.md). */
  updated: number;
  duplicate: number;
  rejected: number;
}

/** A line that was not accepted (docs/conversions.md `lines`). */
export interface UploadProblem {
  line: number;
  clickId: string;
  status: "duplicate" | "rejected";
  error?: string;
}

export interface UploadReport {
  summary: UploadSummary;
  lines: UploadProblem[];
}

/** Echoed click IDs are clipped: a junk line of a megabyte must not come back whole. */
export const MAX_ECHO_LENGTH = 64;

/**
 * A click ID as the answer shows it: at most MAX_ECHO_LENGTH characters (then "…"), control
 * characters as U+FFFD, so each listed line costs a bounded few hundred bytes of JSON.
 */
export function echoClickId(value: string): string {
  let shown = value.length > MAX_ECHO_LENGTH ? value.slice(0, MAX_ECHO_LENGTH) : value;
  // Never cut a surrogate pair in half (a lone surrogate is escaped as 6 bytes).
  if (shown.length < value.length && /[\uD800-\uDBFF]$/.test(shown)) shown = shown.slice(0, -1);
  shown = shown.replace(/\p{Cc}/gu, "\uFFFD");
  return shown.length < value.length ? `${shown}…` : shown;
}

/** How the upload names a rejected field: the words of its line format, not the API's keys. */
const FIELD_LABEL: Record<ConversionField, string> = {
  clickId: "click ID",
  payout: "payout",
  txid: "transaction ID",
  type: "conversion type",
  time: "conversion time",
  status: "status",
  currency: "currency",
};

/**
 * Parses the text and hands every well-formed line to the shared ingest module in one call
 * (ingest batches them per Durable Object shard and finds repeats within the upload too).
 * A dry run registers nothing and lists only the lines that would be rejected.
 */
export async function runUpload(env: Env, text: string, opts: { dryRun?: boolean } = {}): Promise<UploadReport> {
  const parsed = parseUpload(text);
  const requests = parsed.flatMap((l) => ("request" in l ? [l.request] : []));
  const results = requests.length === 0 ? [] : await ingest(env, requests, { dryRun: opts.dryRun });

  const summary: UploadSummary = { total: parsed.length, accepted: 0, updated: 0, duplicate: 0, rejected: 0 };
  const lines: UploadProblem[] = [];
  let next = 0;
  for (const l of parsed) {
    const result: IngestResult | { status: "format"; error: string } =
      "request" in l ? results[next++]! : { status: "format", error: l.error };
    if (result.status === "accepted") summary.accepted++;
    else if (result.status === "updated") summary.updated++;
    else if (result.status === "duplicate") {
      summary.duplicate++;
      if (!opts.dryRun)
        lines.push({
          line: l.line,
          clickId: echoClickId(l.clickId),
          status: "duplicate",
          error: "duplicate: this conversion is already registered (or repeats an earlier line)",
        });
    } else {
      summary.rejected++;
      const error =
        result.status === "format" || result.status === "unavailable"
          ? result.error
          : `${FIELD_LABEL[result.field]}: ${result.message}`;
      lines.push({ line: l.line, clickId: echoClickId(l.clickId), status: "rejected", error });
    }
  }
  return { summary, lines };
}
