import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, BASE, call } from "../helpers";

const from = (ip: string) => ({ "cf-connecting-ip": ip });

function login(ip: string, token: string) {
  return call("/admin/login", {
    method: "POST",
    headers: { Origin: BASE, ...from(ip) },
    body: new URLSearchParams({ token }),
  });
}

function apiAs(ip: string, auth: Record<string, string>) {
  return call("/api/offers", { headers: { ...auth, ...from(ip) } });
}

describe("failed logins are throttled per address (issue 10 row 13, docs/admin-pages.md)", () => {
  it("after 10 failures in 15 minutes: 429 with Retry-After, the correct token included", async () => {
    for (let i = 0; i < 10; i++) expect((await login("198.51.100.7", "wrong")).status).toBe(401);
    const blocked = await login("198.51.100.7", env.ADMIN_TOKEN);
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(blocked.headers.get("set-cookie")).toBeNull();
    expect(await blocked.text()).toMatch(/Too many failed logins/);
    // Another address is not affected.
    expect((await login("198.51.100.8", env.ADMIN_TOKEN)).status).toBe(303);
  });

  it("counts wrong API bearer tokens too, and blocks the API the same way", async () => {
    for (let i = 0; i < 5; i++) expect((await login("203.0.113.9", "wrong")).status).toBe(401);
    for (let i = 0; i < 5; i++)
      expect((await apiAs("203.0.113.9", { Authorization: "Bearer wrong" })).status).toBe(401);
    const blocked = await apiAs("203.0.113.9", ADMIN);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await blocked.json()).toMatchObject({ code: "rate_limited" });
    expect((await apiAs("203.0.113.10", ADMIN)).status).toBe(200);
  });

  it("treats a whole IPv6 /64 as one address", async () => {
    for (let i = 1; i <= 10; i++) await login(`2001:db8:1:2::${i.toString(16)}`, "wrong");
    expect((await login("2001:db8:1:2:ffff::1", env.ADMIN_TOKEN)).status).toBe(429);
    expect((await login("2001:db8:1:3::1", env.ADMIN_TOKEN)).status).toBe(303);
  });

  it("lets the address in again once the oldest failure is 15 minutes old", async () => {
    const stub = env.LOGIN_THROTTLE.getByName("192.0.2.1");
    const t0 = 1_800_000_000_000;
    for (let i = 0; i < 10; i++) expect(await stub.attempt(false, t0 + i * 1000)).toEqual({ allowed: true });
    expect(await stub.attempt(true, t0 + 15 * 60_000 - 1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await stub.attempt(true, t0 + 15 * 60_000)).toEqual({ allowed: true });
    // The refused attempt itself was not counted: the next failure makes ten in the window again.
    expect(await stub.attempt(false, t0 + 15 * 60_000 + 1)).toEqual({ allowed: true });
    expect((await stub.attempt(true, t0 + 15 * 60_000 + 2)).allowed).toBe(false);
    await runInDurableObject(stub, async (_instance, state) => {
      expect(await state.storage.getAlarm()).not.toBeNull();
    });
  });
});
