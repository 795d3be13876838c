import http from "node:http";
import type { TestProject } from "vitest/node";

/**
 * A local HTTP server standing in for ad networks (vitest globalSetup, in Node). The workers reach
 * it over real HTTP at 127.0.0.1:<networkPort>. Each test uses its own key:
 * - GET /n/<key>/… answers with the next scripted response for <key> (200 when none is left) and
 *   records the call (path and query, User-Agent);
 * - POST /__script/<key> [{status, location?, retryAfter?, delayMs?}, …] sets the script;
 * - GET /__calls/<key> lists the calls received, in order, with the status answered and how many
 *   calls of that key were open when it arrived (itself included).
 */
interface Scripted {
  status: number;
  location?: string;
  retryAfter?: string;
  delayMs?: number;
}

/** One call the stand-in received, as tests read it back (source-postback-helpers.ts). */
export interface Call {
  url: string;
  userAgent: string | undefined;
  status: number;
  /** Calls of this key open when this one arrived, itself included. */
  open: number;
  method?: string;
  contentType?: string;
  body?: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    networkPort: number;
  }
}

export default async function setup(project: TestProject) {
  const scripts = new Map<string, Scripted[]>();
  const calls = new Map<string, Call[]>();
  const open = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    const [, kind, key = ""] = url.split(/[/?]/);
    if (req.method === "POST" && kind === "__script") {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        scripts.set(key, JSON.parse(body) as Scripted[]);
        res.end("ok");
      });
      return;
    }
    if (kind === "__calls") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(calls.get(key) ?? []));
      return;
    }
    const next = scripts.get(key)?.shift() ?? { status: 200 };
    const list = calls.get(key) ?? [];
    open.set(key, (open.get(key) ?? 0) + 1);
    const call: Call = { url, userAgent: req.headers["user-agent"], status: next.status, open: open.get(key)! };
    list.push(call);
    calls.set(key, list);
    // A POST's method, Content-Type and body are kept too (rules' notify webhooks); the answer
    // goes once the request is read whole.
    if (req.method !== "GET")
      Object.assign(call, { method: req.method, contentType: req.headers["content-type"], body: "" });
    req.on("data", (chunk) => {
      if (call.body !== undefined) call.body += chunk;
    });
    req.on("end", () =>
      setTimeout(() => {
        open.set(key, open.get(key)! - 1);
        if (res.destroyed) return;
        if (next.location) res.setHeader("location", next.location);
        if (next.retryAfter) res.setHeader("retry-after", next.retryAfter);
        res.statusCode = next.status;
        res.end(next.status < 300 ? "OK" : "no");
      }, next.delayMs ?? 0),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("networkPort", (server.address() as { port: number }).port);
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}
