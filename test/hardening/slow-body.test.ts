import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../../src/index";
import { bodyCap } from "../../src/lib/body";
import { ADMIN, BASE, call } from "../helpers";

/** A body that sends a few bytes and then neither ends nor fails: a slow or stalled client. */
function stalled(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("abc"));
    },
  });
}

/**
 * A body that sends a few bytes and then breaks off, as a client that goes away mid-upload: the
 * worker's read rejects with workerd's own message. (Through exports.default the loopback would
 * end the body quietly instead, so these requests go to the app's fetch directly.)
 */
function broken(): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) return controller.error(new Error("Network connection lost."));
      sent = true;
      controller.enqueue(new TextEncoder().encode("abc,"));
    },
  });
}

const within = <T>(ms: number, p: Promise<T>) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
  ]);

function post(path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string>) {
  return call(path, { method: "POST", headers, body, duplex: "half" } as RequestInit);
}

afterEach(() => vi.restoreAllMocks());

describe("slow and broken request bodies (issue 10 row 14)", () => {
  it("answers 401 and 413 from the headers alone, without waiting for the body", async () => {
    const declared = { "content-type": "text/plain", "content-length": String(16 * 1024 * 1024 + 1) };
    const noAuth = await within(2000, post("/api/conversions/upload", stalled(), declared));
    expect(noAuth.status).toBe(401);
    const tooBig = await within(2000, post("/api/conversions/upload", stalled(), { ...ADMIN, ...declared }));
    expect(tooBig.status).toBe(413);
    const json = await within(
      2000,
      post("/api/offers", stalled(), { ...ADMIN, "content-type": "application/json", "content-length": "70000" }),
    );
    expect(json.status).toBe(413);
  });

  it("does not log a client that goes away mid-body as an internal error", async () => {
    const errors = vi.spyOn(console, "error");
    for (const [path, headers] of [
      ["/api/conversions/upload", { ...ADMIN, "content-type": "text/plain" }],
      ["/api/offers", { ...ADMIN, "content-type": "application/json" }],
      ["/admin/login", { origin: "https://tracker.test", "content-type": "application/x-www-form-urlencoded" }],
    ] as const) {
      const request = new Request(BASE + path, {
        method: "POST",
        headers,
        body: broken(),
        duplex: "half",
      } as RequestInit);
      const ctx = createExecutionContext();
      const res = await within(2000, Promise.resolve(app.fetch(request, env, ctx)));
      await waitOnExecutionContext(ctx);
      expect(res.status, path).toBe(400);
      // The API's JSON envelope, or the admin's error page: either way the body is named.
      expect(await res.text()).toMatch(/body: the connection closed/);
    }
    expect(errors.mock.calls.filter((args) => args.map(String).join(" ").includes("unhandled"))).toEqual([]);
  });

  it("leaves a GET that carries a body alone (workerd hands such bodies to the worker)", async () => {
    const capped = new Hono().use(bodyCap({ maxBytes: 10 })).get("/", (c) => c.text("ok"));
    // A test cannot build a GET Request with a body, so this one is shaped like what workerd
    // delivers for `GET /` with `Content-Length: 5`; copying it into a new Request would throw.
    const raw = { method: "GET", url: "https://tracker.test/", headers: new Headers({ "content-length": "5" }) };
    const res = await capped.fetch({ ...raw, body: new Blob(["hello"]).stream() } as unknown as Request);
    expect(res.status).toBe(200);
  });
});
