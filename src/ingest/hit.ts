import { CLICK_COOKIE } from "../lib/clickid";
import { getConfig } from "../lib/config";
import type { Db } from "../lib/db";
import { ApiError, type ErrorBody, errorBody } from "../lib/errors";
import { cachedSettings } from "../model/settings";
import { MISSING_CLICK_ID, paramName, readHit } from "./aliases";
import { ingest } from "./index";
import type { Decoded } from "./params";
import { type LogStatus, queueLog } from "./postback-log";
import { postbackRefusal } from "./protection";
import { storageUnavailable } from "./shards";

export interface Hit {
  source: "postback" | "pixel";
  /** The parameters by the one decoding rule (params.ts); a refusal there is a 400. */
  decoded: Decoded;
  /** The pixel's click cookie: the click ID when no parameter names one. */
  cookieClickId?: string;
  ip: string | null;
  /** Postback protection applies to server-to-server postbacks only. */
  protect: boolean;
  /** A HEAD request: judged as a dry run for the same status, nothing registered or logged. */
  probe?: boolean;
}

type Outcome = { status: "accepted" | "updated"; conversionId: string } | { status: "duplicate" };

export interface HitAnswer {
  httpStatus: 200 | 400 | 403 | 404 | 503;
  body: Outcome | ErrorBody;
}

interface Judged {
  answer: HitAnswer;
  status: LogStatus;
  conversionId: string | null;
  readFrom: Record<string, string> | null;
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
  const { answer, status, conversionId, readFrom } = await judgeHit(env, db, hit, receivedAt, waitUntil);
  if (hit.probe) return answer;
  const reason = "error" in answer.body ? answer.body.error : null;
  // The log shows where the click ID came from, the pixel's cookie included.
  const params =
    readFrom?.cid === CLICK_COOKIE ? { ...hit.decoded.params, [CLICK_COOKIE]: hit.cookieClickId! } : hit.decoded.params;
  queueLog(
    env.DB,
    {
      receivedAt,
      source: hit.source,
      ip: hit.ip,
      params,
      readFrom,
      status,
      httpStatus: answer.httpStatus,
      reason,
      conversionId,
    },
    waitUntil,
  );
  return answer;
}

const rejected = (httpStatus: 400 | 404, error: string, readFrom: Judged["readFrom"] = null): Judged => ({
  answer: { httpStatus, body: errorBody(httpStatus === 404 ? "not_found" : "invalid_parameter", error) },
  status: "rejected",
  conversionId: null,
  readFrom,
});

async function judgeHit(
  env: Env,
  db: Db,
  hit: Hit,
  receivedAt: number,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<Judged> {
  const { decoded } = hit;
  if (!decoded.ok) return rejected(400, `${decoded.name}: ${decoded.message}`);
  // Settings and the catalog come from per-isolate caches; the shard writes D1 after answering.
  const config = getConfig(env);
  const ttlMs = config.ingestCacheTtlMs;
  try {
    if (hit.protect) {
      const refusal = await postbackRefusal(await cachedSettings(db, ttlMs), hit.ip, decoded.params.secret);
      if (refusal)
        return {
          answer: { httpStatus: 403, body: errorBody("forbidden", refusal) },
          status: "refused",
          conversionId: null,
          readFrom: null,
        };
    }
    const { fields, readFrom, extra } = readHit(decoded.params);
    if (fields.clickId === undefined && hit.cookieClickId) readFrom.cid = CLICK_COOKIE;
    const clickId = fields.clickId ?? hit.cookieClickId ?? "";
    if (clickId.trim() === "") return rejected(400, `cid: ${MISSING_CLICK_ID}`, readFrom);
    const [result] = await ingest(env, [{ ...fields, source: hit.source, clickId, extra }], {
      receivedAt,
      catalogTtlMs: ttlMs,
      deferD1Write: config.ingestD1Write === "deferred",
      dryRun: hit.probe,
      waitUntil,
    });
    // One request: a failed shard throws rather than answering "unavailable" (that is for batches).
    if (result!.status === "unavailable") throw storageUnavailable("ingest shard unavailable", result!.error);
    if (result!.status === "rejected") {
      return rejected(result!.httpStatus, `${paramName(result!.field, readFrom)}: ${result!.message}`, readFrom);
    }
    const conversionId = result!.status === "duplicate" ? null : result!.conversionId;
    return { answer: { httpStatus: 200, body: result! }, status: result!.status, conversionId, readFrom };
  } catch (err) {
    if (err instanceof ApiError && err.code === "unavailable") {
      return {
        answer: { httpStatus: 503, body: errorBody("unavailable", err.message) },
        status: "error",
        conversionId: null,
        readFrom: null,
      };
    }
    // Anything else (settings unreadable, an unexpected failure) registered nothing either:
    // 503 tells the network to retry rather than drop the conversion.
    const unavailable = storageUnavailable("conversion hit failed", err);
    return {
      answer: { httpStatus: 503, body: errorBody("unavailable", unavailable.message) },
      status: "error",
      conversionId: null,
      readFrom: null,
    };
  }
}
