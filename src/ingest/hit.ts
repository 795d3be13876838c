import { type LogStatus, queueLog } from "../features/postback-log/write";
import { postbackRefusal } from "../features/settings/protection";
import { cachedSettings } from "../features/settings/queries";
import { getConfig } from "../lib/config";
import type { Db } from "../lib/db";
import { ApiError, type ErrorBody, errorBody } from "../lib/errors";
import { ingest } from "./index";
import { storageUnavailable } from "./shards";
import type { ConversionField } from "./types";

/** Parameter names of the postback and pixel (SPEC §3) for each ingest field. */
export const HIT_PARAM: Record<ConversionField, string> = {
  clickId: "cid",
  payout: "payout",
  txid: "txid",
  type: "et",
  time: "time",
};

export interface Hit {
  source: "postback" | "pixel";
  params: Record<string, string>;
  /** Click ID when it comes from elsewhere than `cid` (the pixel's cookie). */
  clickId?: string;
  ip: string | null;
  /** Postback protection applies to server-to-server postbacks only. */
  protect: boolean;
}

export interface HitAnswer {
  httpStatus: 200 | 400 | 403 | 404 | 503;
  body: { status: "accepted"; conversionId: string } | { status: "duplicate" } | ErrorBody;
}

/**
 * One postback or pixel hit: protection, ingest, and a postback-log entry written in a batch
 * under waitUntil so the log never delays or fails the answer.
 */
export async function registerHit(
  env: Env,
  db: Db,
  waitUntil: (p: Promise<unknown>) => void,
  hit: Hit,
): Promise<HitAnswer> {
  const receivedAt = Date.now();
  const { answer, status, conversionId } = await judgeHit(env, db, hit, receivedAt);
  const reason = "error" in answer.body ? answer.body.error : null;
  queueLog(
    env.DB,
    {
      receivedAt,
      source: hit.source,
      ip: hit.ip,
      params: hit.params,
      status,
      httpStatus: answer.httpStatus,
      reason,
      conversionId,
    },
    waitUntil,
  );
  return answer;
}

async function judgeHit(
  env: Env,
  db: Db,
  hit: Hit,
  receivedAt: number,
): Promise<{ answer: HitAnswer; status: LogStatus; conversionId: string | null }> {
  const p = hit.params;
  // Settings and the catalog come from per-isolate caches; the shard writes D1 after answering.
  const config = getConfig(env);
  const ttlMs = config.ingestCacheTtlMs;
  try {
    if (hit.protect) {
      const refusal = await postbackRefusal(await cachedSettings(db, ttlMs), hit.ip, p.secret);
      if (refusal)
        return {
          answer: { httpStatus: 403, body: errorBody("forbidden", refusal) },
          status: "refused",
          conversionId: null,
        };
    }
    const [result] = await ingest(
      env,
      [
        {
          source: hit.source,
          clickId: hit.clickId ?? p.cid ?? "",
          payout: p.payout,
          txid: p.txid,
          type: p.et,
          time: p.time,
        },
      ],
      { receivedAt, catalogTtlMs: ttlMs, deferD1Write: config.ingestD1Write === "deferred" },
    );
    if (result!.status === "rejected") {
      const error = `${HIT_PARAM[result!.field]}: ${result!.message}`;
      const code = result!.httpStatus === 404 ? "not_found" : "invalid_parameter";
      return {
        answer: { httpStatus: result!.httpStatus, body: errorBody(code, error) },
        status: "rejected",
        conversionId: null,
      };
    }
    const conversionId = result!.status === "accepted" ? result!.conversionId : null;
    return { answer: { httpStatus: 200, body: result! }, status: result!.status, conversionId };
  } catch (err) {
    if (err instanceof ApiError && err.code === "unavailable") {
      return {
        answer: { httpStatus: 503, body: errorBody("unavailable", err.message) },
        status: "error",
        conversionId: null,
      };
    }
    // Anything else (settings unreadable, an unexpected failure) registered nothing either:
    // 503 tells the network to retry rather than drop the conversion.
    const unavailable = storageUnavailable("conversion hit failed", err);
    return {
      answer: { httpStatus: 503, body: errorBody("unavailable", unavailable.message) },
      status: "error",
      conversionId: null,
    };
  }
}
