/**
 * The contract of the shared ingest module (SPEC §4): postback, pixel and upload all hand it
 * ConversionRequests and get one IngestResult per request, in order.
 */
export type ConversionSource = "postback" | "pixel" | "upload";

export interface ConversionRequest {
  source: ConversionSource;
  /** Raw values as received; the ingest module validates each one and names the field it rejects. */
  clickId: string;
  payout?: string;
  txid?: string;
  /** Conversion type name; missing or empty = the default type. */
  type?: string;
  /** ISO-8601 conversion time; missing = time of receipt. */
  time?: string;
}

export type IngestResult =
  | { status: "accepted"; conversionId: string }
  | { status: "duplicate" }
  /** httpStatus 400: a malformed field (named in `field`); 404: a well-formed click ID nothing can attribute. */
  | { status: "rejected"; field: string; error: string; httpStatus: 400 | 404 };
