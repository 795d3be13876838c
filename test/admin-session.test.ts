import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, call } from "./helpers";

const ORIGIN = { Origin: BASE };
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

async function login(token = env.ADMIN_TOKEN, next?: string): Promise<Response> {
  return call("/admin/login", { method: "POST", headers: ORIGIN, body: form({ token, ...(next && { next }) }) });
}

/** The `name=value` part of the session cookie a response sets. */
function sessionCookie(res: Response): string {
  const value = /ct_admin=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0];
  expect(value).toBeDefined();
  return value!;
}

describe("admin login and session", () => {
  it("sends a visitor without a session to the login page, remembering where they were going", async () => {
    const res = await call("/admin/offers?archived=1");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/login?next=%2Fadmin%2Foffers%3Farchived%3D1");
    const page = await call("/admin/login");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="token"');
  });

  it("refuses a wrong token with 401 and no cookie", async () => {
    const res = await login("not-the-token");
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("Wrong admin token");
  });

  it("sets a signed, HttpOnly, SameSite=Strict cookie that opens the pages", async () => {
    const res = await login(env.ADMIN_TOKEN, "/admin/offers");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/offers");
    const header = res.headers.get("set-cookie")!;
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).toMatch(/Path=\/admin/);
    const page = await call("/admin/offers", { headers: { Cookie: sessionCookie(res) } });
    expect(page.status).toBe(200);
  });

  it("does not follow a `next` that leaves the admin pages", async () => {
    for (const next of ["https://evil.example/", "//evil.example/admin", "/api/offers"]) {
      const res = await login(env.ADMIN_TOKEN, next);
      expect(res.headers.get("location")).toBe("/admin/campaigns");
    }
  });

  it("rejects a forged or altered cookie", async () => {
    const good = sessionCookie(await login());
    const [, value] = decodeURIComponent(good).split("=");
    const [expires, signature] = value!.split(".");
    const forged = [
      `ct_admin=${encodeURIComponent(`${Number(expires) + 1000}.${signature}`)}`,
      `ct_admin=${encodeURIComponent(`${Date.now() + 1e9}.AAAA`)}`,
      "ct_admin=1",
    ];
    for (const cookie of forged) {
      const res = await call("/admin/offers", { headers: { Cookie: cookie } });
      expect(res.status, cookie).toBe(303);
    }
  });

  it("logging out clears the cookie", async () => {
    const cookie = sessionCookie(await login());
    const res = await call("/admin/logout", { method: "POST", headers: { ...ORIGIN, Cookie: cookie } });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/ct_admin=;.*Max-Age=0/);
  });

  it("refuses form posts from another site (CSRF), even with a valid session", async () => {
    const cookie = sessionCookie(await login());
    const body = form({ name: "x", url: "https://x.example/", payoutMode: "auto" });
    const variants: Record<string, string>[] = [
      { Origin: "https://evil.example" },
      { "Sec-Fetch-Site": "cross-site" },
      {},
    ];
    for (const headers of variants) {
      const res = await call("/admin/offers", { method: "POST", headers: { ...headers, Cookie: cookie }, body });
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    const cross = await call("/admin/login", {
      method: "POST",
      headers: { Origin: "https://evil.example" },
      body: form({ token: env.ADMIN_TOKEN }),
    });
    expect(cross.status).toBe(403);
  });

  it("sends secure headers and no-store on pages", async () => {
    const res = await call("/admin/login");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});
