import http from "node:http";
import { isIP } from "node:net";
import type { TestProject } from "vitest/node";

/**
 * Local stand-ins of the ad platforms' conversion APIs (vitest globalSetup, in Node), reached at
 * 127.0.0.1:<platformPort>/p/<key> as a source's `endpoint`. Each checks every field its platform
 * requires and answers as the platform does when one is missing or malformed:
 * - Meta   POST /p/<key>/v25.0/<pixel>/events?access_token=…  (400 {"error":{"message"}})
 * - TikTok POST /p/<key>/open_api/v1.3/event/track/            (200 {"code":40002,"message"})
 * - Google POST /p/<key>/token (OAuth refresh), POST /p/<key>/v26/customers/<id>:uploadClickConversions
 *   and :uploadConversionAdjustments (401 without a token it issued; 200 {"partialFailureError"}
 *   for a bad conversion, as partialFailure=true answers).
 * Test controls: POST /__script/<key> [{status, body?}] answers those first (after the checks);
 * POST /__config/<key> {"expiresIn": s} sets the lifetime of the tokens it issues (default 3599);
 * GET /__calls/<key> lists every request: {path, query, headers, body, status, problems}.
 */
interface Scripted {
  status: number;
  body?: unknown;
}
export interface PlatformCall {
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: any;
  status: number;
  problems: string[];
}

declare module "vitest" {
  export interface ProvidedContext {
    platformPort: number;
  }
}

const CURRENCY = /^[A-Z]{3}$/;
const GOOGLE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown) => typeof v === "string" && v.length > 0;
const unixSeconds = (v: unknown) =>
  Number.isInteger(v) && (v as number) > Date.now() / 1000 - 7 * 86400 && (v as number) <= Date.now() / 1000 + 60;

function metaProblems(query: Record<string, string>, body: any): string[] {
  const p: string[] = [];
  if (!nonEmpty(query.access_token)) p.push("access_token missing");
  if (!Array.isArray(body?.data) || body.data.length === 0) return [...p, "data must be a non-empty array"];
  if (body.test_event_code !== undefined && !nonEmpty(body.test_event_code)) p.push("test_event_code malformed");
  for (const e of body.data) {
    if (!nonEmpty(e.event_name)) p.push("event_name missing");
    if (!unixSeconds(e.event_time)) p.push("event_time must be Unix seconds within the last 7 days");
    if (!nonEmpty(e.event_id)) p.push("event_id missing");
    if (e.action_source !== "website") p.push("action_source must be website");
    const u = e.user_data;
    if (!isObject(u)) {
      p.push("user_data missing");
      continue;
    }
    if (!nonEmpty(u.client_user_agent)) p.push("client_user_agent is required for website events");
    if (u.client_ip_address !== undefined && !isIP(u.client_ip_address)) p.push("client_ip_address malformed");
    if (u.fbc !== undefined && !/^fb\.[0-2]\.\d{13}\.\S+$/.test(u.fbc)) p.push("fbc malformed");
    if (u.fbp !== undefined && !/^fb\.[0-2]\.\d{13}\.\S+$/.test(u.fbp)) p.push("fbp malformed");
    if (!u.fbc && !u.fbp && !u.client_ip_address) p.push("user_data has no customer information");
    const c = e.custom_data;
    if (!isObject(c) || typeof c.value !== "number" || !CURRENCY.test(c.currency))
      p.push("custom_data needs a numeric value and a currency");
  }
  return p;
}

function tiktokProblems(headers: http.IncomingHttpHeaders, body: any): string[] {
  const p: string[] = [];
  if (!nonEmpty(headers["access-token"])) p.push("Access-Token header missing");
  if (body?.event_source !== "web") p.push("event_source must be web");
  if (!nonEmpty(body?.event_source_id)) p.push("event_source_id missing");
  if (!Array.isArray(body?.data) || body.data.length === 0) return [...p, "data must be a non-empty array"];
  for (const e of body.data) {
    if (!nonEmpty(e.event)) p.push("event missing");
    if (!unixSeconds(e.event_time)) p.push("event_time must be Unix seconds");
    if (!nonEmpty(e.event_id)) p.push("event_id missing");
    if (!isObject(e.user) || !nonEmpty(e.user.ttclid)) p.push("user.ttclid missing");
    if (isObject(e.user) && e.user.ip !== undefined && !isIP(e.user.ip)) p.push("user.ip malformed");
    if (!isObject(e.user) || !nonEmpty(e.user.user_agent)) p.push("user.user_agent missing");
    if (!isObject(e.properties) || typeof e.properties.value !== "number" || !CURRENCY.test(e.properties.currency))
      p.push("properties need a numeric value and a currency");
  }
  return p;
}

function googleConversionProblems(customer: string, body: any, adjustments: boolean): string[] {
  const p: string[] = [];
  if (body?.partialFailure !== true) p.push("partialFailure must be true");
  const list = adjustments ? body?.conversionAdjustments : body?.conversions;
  if (!Array.isArray(list) || list.length === 0) return [...p, "no conversions"];
  for (const c of list) {
    if (!new RegExp(`^customers/${customer}/conversionActions/\\d+$`).test(c.conversionAction ?? ""))
      p.push("conversionAction malformed");
    if (adjustments) {
      if (!["RETRACTION", "RESTATEMENT", "ENHANCEMENT"].includes(c.adjustmentType)) p.push("adjustmentType malformed");
      if (!nonEmpty(c.orderId)) p.push("orderId missing");
      if (!GOOGLE_TIME.test(c.adjustmentDateTime ?? "")) p.push("adjustmentDateTime malformed");
      continue;
    }
    if (["gclid", "gbraid", "wbraid"].filter((k) => nonEmpty(c[k])).length !== 1)
      p.push("exactly one of gclid, gbraid, wbraid");
    if (!GOOGLE_TIME.test(c.conversionDateTime ?? "")) p.push("conversionDateTime malformed");
    if (typeof c.conversionValue !== "number") p.push("conversionValue must be a number");
    if (!CURRENCY.test(c.currencyCode ?? "")) p.push("currencyCode malformed");
    if (!nonEmpty(c.orderId)) p.push("orderId missing");
  }
  return p;
}

export default async function setup(project: TestProject) {
  const scripts = new Map<string, Scripted[]>();
  const lifetimes = new Map<string, number>();
  const calls = new Map<string, PlatformCall[]>();
  const issued = new Map<string, number>(); // access token -> expiry (ms)
  let tokenCount = 0;

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://standin");
      const [, kind, key = "", ...rest] = url.pathname.split("/");
      const send = (status: number, body: unknown) => {
        res.statusCode = status;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(body));
      };
      if (kind === "__script") scripts.set(key, JSON.parse(raw));
      if (kind === "__config") lifetimes.set(key, JSON.parse(raw).expiresIn);
      if (kind === "__script" || kind === "__config") return send(200, {});
      if (kind === "__calls") return send(200, calls.get(key) ?? []);
      const path = `/${rest.join("/")}`;
      const query = Object.fromEntries(url.searchParams);
      const json = (req.headers["content-type"] ?? "").startsWith("application/json");
      let body: any = null;
      try {
        body = json ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
      } catch {}
      let problems: string[] = [];
      let answer: [number, unknown];
      if (req.method !== "POST") {
        problems = ["must be POST"];
        answer = [405, { error: { message: "POST only" } }];
      } else if (/^\/v25\.0\/\d+\/events$/.test(path)) {
        problems = json ? metaProblems(query, body) : ["Content-Type must be application/json"];
        answer = problems.length
          ? [
              400,
              { error: { message: `Invalid parameter: ${problems.join("; ")}`, type: "OAuthException", code: 100 } },
            ]
          : [200, { events_received: body.data.length, messages: [], fbtrace_id: "standin" }];
      } else if (path === "/open_api/v1.3/event/track/") {
        problems = json ? tiktokProblems(req.headers, body) : ["Content-Type must be application/json"];
        answer = problems.length
          ? [200, { code: 40002, message: problems.join("; "), request_id: "standin" }]
          : [200, { code: 0, message: "OK", request_id: "standin" }];
      } else if (path === "/token") {
        if (!(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded"))
          problems.push("form body required");
        if (body?.grant_type !== "refresh_token") problems.push("grant_type must be refresh_token");
        for (const f of ["client_id", "client_secret", "refresh_token"])
          if (!nonEmpty(body?.[f])) problems.push(`${f} missing`);
        if (problems.length) answer = [400, { error: "invalid_request", error_description: problems.join("; ") }];
        else {
          const token = `standin-token-${++tokenCount}`;
          const expiresIn = lifetimes.get(key) ?? 3599;
          issued.set(token, Date.now() + expiresIn * 1000);
          answer = [200, { access_token: token, expires_in: expiresIn, token_type: "Bearer" }];
        }
      } else if (/^\/v26\/customers\/\d{10}:(uploadClickConversions|uploadConversionAdjustments)$/.test(path)) {
        const customer = /customers\/(\d{10})/.exec(path)![1]!;
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
        if (!token || !(issued.get(token)! > Date.now())) problems.push("no valid access token");
        if (!nonEmpty(req.headers["developer-token"])) problems.push("developer-token header missing");
        if (problems.length)
          answer = [401, { error: { code: 401, message: problems.join("; "), status: "UNAUTHENTICATED" } }];
        else {
          problems = json
            ? googleConversionProblems(customer, body, path.endsWith("Adjustments"))
            : ["Content-Type must be application/json"];
          answer = problems.length
            ? [200, { partialFailureError: { code: 3, message: problems.join("; ") }, results: [{}] }]
            : [200, { results: [{}], jobId: "1" }];
        }
      } else {
        problems = [`unknown path ${path}`];
        answer = [404, { error: { message: "not found" } }];
      }
      const scripted = scripts.get(key)?.shift();
      if (scripted) answer = [scripted.status, scripted.body ?? { error: { message: `scripted ${scripted.status}` } }];
      const list = calls.get(key) ?? [];
      const headers = { ...req.headers } as Record<string, string | undefined>;
      list.push({ path, query, headers, body, status: answer[0], problems });
      calls.set(key, list);
      send(answer[0], answer[1]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("platformPort", (server.address() as { port: number }).port);
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}
