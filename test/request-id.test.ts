import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { onError } from "../src/lib/errors";
import { logWarn } from "../src/lib/log";
import { requestIds } from "../src/lib/request-id";
import { ADMIN, call } from "./helpers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

afterEach(() => vi.restoreAllMocks());

describe("request ids", () => {
  it("puts Cloudflare's Ray ID into every JSON error body: API, postback, redirect, not found", async () => {
    const ray = { "cf-ray": "8f1e2d3c4b5a6978-WAW" };
    const answers = await Promise.all([
      call("/api/offers", {
        method: "POST",
        headers: { ...ADMIN, ...ray, "content-type": "application/json" },
        body: JSON.stringify({ name: "" }),
      }),
      call("/api/offers", { headers: ray }),
      call("/postback?cid=not-a-click-id", { headers: ray }),
      call("/c/999999", { headers: ray }),
      call("/no-such-path", { headers: ray }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([400, 401, 400, 404, 404]);
    for (const res of answers) {
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ code: expect.any(String), error: expect.any(String) });
      expect(body.requestId).toBe("8f1e2d3c4b5a6978-WAW");
    }
  });

  it("makes one up where the request has no Ray ID, a new one per request", async () => {
    const [a, b] = await Promise.all([call("/c/999999"), call("/c/999999")]);
    const [idA, idB] = [
      ((await a.json()) as { requestId: string }).requestId,
      ((await b.json()) as { requestId: string }).requestId,
    ];
    expect(idA).toMatch(UUID);
    expect(idB).toMatch(UUID);
    expect(idA).not.toBe(idB);
  });

  it("answers the paths served before the router like the rest: HEAD without a body, errors in the envelope", async () => {
    const [postbackHead, clickHead, bad] = await Promise.all([
      call("/postback?cid=not-a-click-id", { method: "HEAD" }),
      call("/c/999999", { method: "HEAD" }),
      call("/c/12abc", { headers: { "cf-ray": "77-LHR" } }),
    ]);
    expect([postbackHead.status, clickHead.status]).toEqual([400, 404]);
    expect([await postbackHead.text(), await clickHead.text()]).toEqual(["", ""]);
    expect(postbackHead.headers.get("cache-control")).toBe("no-store");
    expect(bad.status).toBe(404);
    expect(await bad.json()).toEqual({ error: "Campaign not found", code: "not_found", requestId: "77-LHR" });
  });

  it("leaves successful answers as they were", async () => {
    const res = await call("/api/offers", { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).not.toContain("requestId");
  });

  it("logs an unexpected error with the id its 500 answer shows, and tags other lines of the request", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    const app = new Hono()
      .use(requestIds)
      .get("/boom", () => {
        logWarn("about to fail");
        throw new Error("database on fire");
      })
      .onError(onError);
    const res = await app.request("/boom", { headers: { "cf-ray": "abc123-AMS" } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "Internal error", code: "internal", requestId: "abc123-AMS" });
    expect(errors.mock.calls[0]?.[0]).toBe("requestId=abc123-AMS");
    expect(warnings.mock.calls[0]).toEqual(["requestId=abc123-AMS", "about to fail"]);
    logWarn("outside a request");
    expect(warnings.mock.calls[1]).toEqual(["outside a request"]);
  });
});
