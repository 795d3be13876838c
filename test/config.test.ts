import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../src/index";
import { getConfig } from "../src/lib/config";
import { BASE, click, setupCampaign } from "./helpers";

// The app's own fetch with a copy of the test bindings, as a deploy missing a secret would run.
async function fetchWith(bindings: Env, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(BASE + path, { redirect: "manual", ...init }), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** The test bindings with some variables replaced (undefined: unset). */
const envWith = (vars: Record<string, string | undefined>) => ({ ...env, ...vars }) as unknown as Env;

const logLines = (spy: { mock: { calls: unknown[][] } }, text: string) =>
  spy.mock.calls.filter((args) => args.map(String).join(" ").includes(text)).length;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a missing CLICKID_SECRET", () => {
  it("is one log line; clicks, postbacks and uploads answer 503 naming it, not 500", async () => {
    const errors = vi.spyOn(console, "error");
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id); // minted while the secret was there
    const noSecret = envWith({ CLICKID_SECRET: "" });

    for (let i = 0; i < 3; i++) {
      const res = await fetchWith(noSecret, `/c/${campaign.id}`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        error: expect.stringMatching(/^CLICKID_SECRET is not set/),
        code: "unavailable",
        requestId: expect.any(String),
      });
    }
    const postback = await fetchWith(noSecret, `/postback?cid=${clickId}&payout=2`);
    expect(postback.status).toBe(503);
    expect(await postback.json()).toMatchObject({
      error: expect.stringContaining("CLICKID_SECRET"),
      code: "unavailable",
    });
    const upload = await fetchWith(noSecret, "/api/conversions/upload", {
      method: "POST",
      headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "text/plain" },
      body: `${clickId},1`,
    });
    expect(upload.status).toBe(503);
    expect(await upload.json()).toMatchObject({ code: "unavailable" });

    expect(logLines(errors, "CLICKID_SECRET is not set")).toBe(1);
    expect(logLines(errors, "unhandled error")).toBe(0);
    // Nothing was registered, and with the secret back the same click ID converts.
    const count = await env.DB.prepare("SELECT count(*) AS n FROM conversions").first<{ n: number }>();
    expect(count!.n).toBe(0);
    expect((await fetchWith(env, `/postback?cid=${clickId}`)).status).toBe(200);
  });
});

describe("a missing ADMIN_TOKEN", () => {
  it("is one log line; the API answers 503 naming it, the login page says so and lets nobody in", async () => {
    const errors = vi.spyOn(console, "error");
    const closed = envWith({ ADMIN_TOKEN: "" });
    for (const auth of ["Bearer ", "Bearer x", `Bearer ${env.ADMIN_TOKEN}`, undefined]) {
      const res = await fetchWith(closed, "/api/offers", { headers: auth ? { Authorization: auth } : {} });
      expect(res.status, auth).toBe(503);
      expect(await res.json()).toEqual({
        error: expect.stringMatching(/^ADMIN_TOKEN is not set/),
        code: "unavailable",
        requestId: expect.any(String),
      });
    }
    const login = await fetchWith(closed, "/admin/login");
    expect(login.status).toBe(503);
    const page = await login.text();
    expect(page).toContain("ADMIN_TOKEN is not set");
    expect(page).not.toContain('name="token"');
    const attempt = await fetchWith(closed, "/admin/login", {
      method: "POST",
      headers: { Origin: BASE },
      body: new URLSearchParams({ token: "" }),
    });
    expect(attempt.status).toBe(503);
    expect(attempt.headers.get("set-cookie")).toBeNull();
    const guarded = await fetchWith(closed, "/admin/campaigns");
    expect(guarded.status).toBe(303);
    expect(guarded.headers.get("location")).toMatch(/^\/admin\/login/);
    expect(logLines(errors, "ADMIN_TOKEN is not set")).toBe(1);
  });
});

describe("variables", () => {
  it("are parsed once: numbers and the write mode, a malformed value logged and replaced by its default", () => {
    const errors = vi.spyOn(console, "error");
    expect(getConfig(envWith({ CAMPAIGN_CACHE_TTL_MS: "250", INGEST_CACHE_TTL_MS: "0" }))).toMatchObject({
      campaignCacheTtlMs: 250,
      ingestCacheTtlMs: 0,
      ingestD1Write: "awaited",
      adminToken: env.ADMIN_TOKEN,
      clickIdSecret: env.CLICKID_SECRET,
    });
    const bad = envWith({ CAMPAIGN_CACHE_TTL_MS: "soon", INGEST_CACHE_TTL_MS: "-1", INGEST_D1_WRITE: "sometimes" });
    expect(getConfig(bad)).toMatchObject({
      campaignCacheTtlMs: 5000,
      ingestCacheTtlMs: 5000,
      ingestD1Write: "deferred",
    });
    expect(getConfig(bad)).toBe(getConfig(bad));
    expect(logLines(errors, 'CAMPAIGN_CACHE_TTL_MS="soon"')).toBe(1);
    expect(logLines(errors, 'INGEST_D1_WRITE="sometimes"')).toBe(1);
    const unset = envWith({
      CAMPAIGN_CACHE_TTL_MS: undefined,
      INGEST_CACHE_TTL_MS: undefined,
      INGEST_D1_WRITE: undefined,
    });
    expect(getConfig(unset)).toMatchObject({
      campaignCacheTtlMs: 5000,
      ingestCacheTtlMs: 5000,
      ingestD1Write: "deferred",
    });
  });
});
