import { describe, expect, it } from "vitest";
import { api, call } from "./helpers";

async function patch(body: unknown) {
  const res = await api("PATCH", "/settings", body);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe("GET/PATCH /api/settings", () => {
  it("starts with protection off and UTC, needs the admin token", async () => {
    const res = await api("GET", "/settings");
    expect(await res.json()).toEqual({
      postbackSecret: null,
      postbackAllowedIps: [],
      timezone: "UTC",
      statusMap: {},
      currency: "USD",
      currencyRates: {},
    });
    expect((await call("/api/settings")).status).toBe(401);
    expect((await call("/api/settings", { method: "PATCH", body: "{}" })).status).toBe(401);
  });

  it("saves a secret, an IPv4/IPv6 allow-list (normalized, bare addresses as single hosts) and a time zone", async () => {
    const saved = await patch({
      postbackSecret: "  abc123  ",
      postbackAllowedIps: ["203.0.113.0/24", "2001:DB8::/32", "198.51.100.7", "::1", "203.0.113.0/24"],
      timezone: "Europe/Berlin",
    });
    expect(saved).toEqual({
      status: 200,
      body: {
        postbackSecret: "abc123",
        postbackAllowedIps: ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7/32", "::1/128"],
        timezone: "Europe/Berlin",
        statusMap: {},
        currency: "USD",
        currencyRates: {},
      },
    });
    // A partial patch keeps the rest; null and "" clear the secret.
    expect((await patch({ postbackSecret: null })).body).toMatchObject({
      postbackSecret: null,
      timezone: "Europe/Berlin",
    });
    await patch({ postbackSecret: "x" });
    expect((await patch({ postbackSecret: "" })).body.postbackSecret).toBeNull();
    expect(await (await api("GET", "/settings")).json()).toMatchObject({
      postbackAllowedIps: ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7/32", "::1/128"],
    });
  });

  it("rejects invalid ranges, time zones and unknown fields with 400 naming the field", async () => {
    const before = await (await api("GET", "/settings")).json();
    const cases: [unknown, RegExp][] = [
      [{ postbackAllowedIps: ["203.0.113.0/33"] }, /postbackAllowedIps/],
      [{ postbackAllowedIps: ["2001:db8::/129"] }, /postbackAllowedIps/],
      [{ postbackAllowedIps: ["127.1"] }, /postbackAllowedIps/],
      [{ postbackAllowedIps: ["0x7f000001/8"] }, /postbackAllowedIps/],
      [{ postbackAllowedIps: ["example.com"] }, /postbackAllowedIps/],
      [{ postbackAllowedIps: ["10.0.0.0/8/8"] }, /postbackAllowedIps/],
      [{ postbackAllowedIps: "10.0.0.0/8" }, /postbackAllowedIps/],
      [{ timezone: "Mars/Olympus" }, /timezone/],
      [{ timezone: "" }, /timezone/],
      [{ postbackSecret: 5 }, /postbackSecret/],
      [{ postbackSecret: "x".repeat(257) }, /postbackSecret/],
      [{ color: "red" }, /color|unrecognized/i],
    ];
    for (const [body, error] of cases) {
      const res = await patch(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toMatch(error);
    }
    expect(await (await api("GET", "/settings")).json()).toEqual(before);
  });
});
