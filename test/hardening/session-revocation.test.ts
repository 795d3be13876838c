import { env } from "cloudflare:workers";
import { serializeSigned } from "hono/utils/cookie";
import { describe, expect, it } from "vitest";
import { BASE, call } from "../helpers";

const ORIGIN = { Origin: BASE };

async function login(): Promise<string> {
  const res = await call("/admin/login", {
    method: "POST",
    headers: ORIGIN,
    body: new URLSearchParams({ token: env.ADMIN_TOKEN }),
  });
  expect(res.status).toBe(303);
  return /ct_admin=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
}

const page = (cookie: string) => call("/admin/offers", { headers: { Cookie: cookie } });

/** The key main derived to sign sessions: what someone holding ADMIN_TOKEN could sign with. */
async function derivedKey(): Promise<ArrayBuffer> {
  const raw = new TextEncoder().encode(env.ADMIN_TOKEN);
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", key, new TextEncoder().encode("clicktrail admin session v1"));
}

describe("admin sessions are revocable and capped at 12 hours (issue 10 row 12)", () => {
  it("Log out revokes the session: the same cookie no longer opens a page", async () => {
    const cookie = await login();
    expect((await page(cookie)).status).toBe(200);
    const out = await call("/admin/logout", { method: "POST", headers: { ...ORIGIN, Cookie: cookie } });
    expect(out.status).toBe(303);
    const after = await page(cookie);
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toMatch(/^\/admin\/login/);
  });

  it("logging out one browser leaves another logged in", async () => {
    const [a, b] = [await login(), await login()];
    await call("/admin/logout", { method: "POST", headers: { ...ORIGIN, Cookie: a } });
    expect((await page(a)).status).toBe(303);
    expect((await page(b)).status).toBe(200);
  });

  it("refuses a correctly signed cookie whose claimed expiry is far away", async () => {
    for (const value of ["1e300", String(Date.now() + 100 * 86_400_000), "Infinity"]) {
      const cookie = (await serializeSigned("ct_admin", value, await derivedKey())).split(";")[0]!;
      expect((await page(cookie)).status, value).toBe(303);
    }
  });

  it("ends a session 12 hours after login, whatever the cookie says", async () => {
    const cookie = await login();
    await env.DB.prepare("UPDATE admin_sessions SET created_at = created_at - ?")
      .bind(11 * 3600_000)
      .run();
    expect((await page(cookie)).status).toBe(200);
    await env.DB.prepare("UPDATE admin_sessions SET created_at = created_at - ?")
      .bind(3600_000 + 1000)
      .run();
    expect((await page(cookie)).status).toBe(303);
  });
});
