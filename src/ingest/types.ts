/**
 * The contract of the shared ingest module (docs/conversions.md): postback, pixel and upload all hand it
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
  /** A status word (docs/conversions.md); missing = approved. */
  status?: string;
  /** ISO 4217 code of the payout; missing = the account currency. */
  currency?: string;
  /** Parameters no field reads (postback and pixel), kept with the conversion; already bounded. */
  extra?: Record<string, string>;
}

/** The request field a rejection is about. */
export type ConversionField = "clickId" | "payout" | "txid" | "type" | "time" | "status" | "currency";

export type IngestResult =
  | { status: "accepted"; conversionId: string }
  /** A status transition of an existing conversion (docs/conversions.md). */
  | { status: "updated"; conversionId: string }
  | { status: "duplicate" }
  /**
   * httpStatus 400: a malformed field (named in `field`); 404: a well-formed click ID nothing can
   * attribute. `error` starts with the field name ("payout: must be …"); `message` is the same
   * text without it, for callers that name the field their own way (the postback says `et`).
   */
  | { status: "rejected"; field: ConversionField; error: string; message: string; httpStatus: 400 | 404 }
  /** Not registered because its shard failed while others in the batch committed; send it again. */
  | { status: "unavailable"; error: string };
