import { ingest } from "../../ingest";
import type { ConversionField, IngestResult } from "../../ingest/types";
import { parseUpload } from "./parse";

export interface UploadSummary {
  total: number;
  accepted: number;
  /** Status transitions of conversions registered before (SPEC §14). */
  updated: number;
  duplicate: number;
  rejected: number;
}

/** A line that was not accepted (SPEC §5 `lines`). */
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
          clickId: l.clickId,
          status: "duplicate",
          error: "duplicate: this conversion is already registered (or repeats an earlier line)",
        });
    } else {
      summary.rejected++;
      const error = result.status === "format" ? result.error : `${FIELD_LABEL[result.field]}: ${result.message}`;
      lines.push({ line: l.line, clickId: l.clickId, status: "rejected", error });
    }
  }
  return { summary, lines };
}
