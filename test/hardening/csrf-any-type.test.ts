import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, BASE, call } from "../helpers";

// A cross-site request carrying the admin cookie changes nothing, whatever its content type.

async function sessionCookie() {
  const res = await call("/admin/login", {
    method: "POST",
    headers: { Origin: BASE },
    body: new URLSearchParams({ token: env.ADMIN_TOKEN }),
  });
  return /ct_admin=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
}

describe("CSRF on every content type", () => {
  it("refuses a cross-site POST /admin/settings sent as JSON, text or nothing, and keeps the settings", async () => {
    expect(
      (await api("PATCH", "/settings", { postbackSecret: "s3cret", postbackAllowedIps: ["10.0.0.0/8"] })).status,
    ).toBe(200);
    const cookie = await sessionCookie();
    const bodies: [string | undefined, string][] = [
      ["application/json", JSON.stringify({ postbackSecret: "", postbackAllowedIps: "" })],
      ["text/plain", "postbackSecret=&postbackAllowedIps="],
      [undefined, "postbackSecret=&postbackAllowedIps="],
      ["application/x-www-form-urlencoded", "postbackSecret=&postbackAllowedIps="],
      [
        "multipart/form-data; boundary=x",
        '--x\r\nContent-Disposition: form-data; name="postbackSecret"\r\n\r\n\r\n--x--\r\n',
      ],
    ];
    const senders: Record<string, string>[] = [
      { Origin: "https://evil.example" },
      { Origin: "null" },
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "same-site" },
      { Origin: BASE, "Sec-Fetch-Site": "cross-site" },
      {},
    ];
    for (const [type, body] of bodies)
      for (const headers of senders)
        for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
          const res = await call("/admin/settings", {
            method,
            headers: { ...headers, Cookie: cookie, ...(type && { "content-type": type }) },
            body,
          });
          expect(res.status, `${method} ${type} ${JSON.stringify(headers)}`).toBe(403);
        }
    const settings = (await (await api("GET", "/settings")).json()) as any;
    expect(settings.postbackAllowedIps).toEqual(["10.0.0.0/8"]);
    expect(settings.postbackSecretSet ?? settings.postbackSecret).toBeTruthy();
    // The tracker's own page still saves (a same-origin form post).
    const own = await call("/admin/settings", {
      method: "POST",
      headers: { Origin: BASE, Cookie: cookie },
      body: new URLSearchParams({ postbackSecret: "", postbackAllowedIps: "" }),
    });
    expect(own.status).toBeLessThan(400);
  });
});
