import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hashPassword, PASSWORD_ITERATIONS, verifyPassword } from "../src/features/users/passwords";
import { adminSession, api, call, created, eventually } from "./helpers";
import { keyOf, logIn, loginResponse, userOf } from "./teams-helpers";

const userRow = (id: number) =>
  env.DB.prepare("SELECT * FROM users WHERE id = ?").bind(id).first<Record<string, unknown>>();

describe("passwords", () => {
  it("are PBKDF2-SHA-256 at exactly 100,000 iterations (production refuses more), salted, the count stored with each", async () => {
    expect(PASSWORD_ITERATIONS).toBe(100_000);
    const a = await userOf("viewer", "same password 123");
    const b = await userOf("viewer", "same password 123");
    const [ra, rb] = [(await userRow(a.id))!, (await userRow(b.id))!];
    expect(ra).toMatchObject({ password_algorithm: "pbkdf2-sha256", password_iterations: 100_000 });
    expect(ra.password_salt).not.toBe(rb.password_salt);
    expect(ra.password_hash).not.toBe(rb.password_hash);
    expect(JSON.stringify(ra)).not.toContain("same password 123");
  });

  it("a hash keeps verifying at the count it was made with", async () => {
    const made = await hashPassword("old password 1");
    expect(await verifyPassword("old password 1", made)).toBe(true);
    expect(await verifyPassword("old password 2", made)).toBe(false);
    expect(await verifyPassword("old password 1", undefined)).toBe(false);
  });
});

describe("users", () => {
  it("POST /api/users: 201 without any password field; a taken email (any case) 409; bad fields 400 by name", async () => {
    const body = await created(
      api("POST", "/users", { email: "Ann@Team.test", role: "editor", password: "long enough 1" }),
    );
    expect(body).toMatchObject({ email: "ann@team.test", role: "editor", disabled: false });
    expect(Object.keys(body).filter((k) => /password(?!ChangedAt)|hash|salt/i.test(k))).toEqual([]);
    const taken = await api("POST", "/users", { email: "ANN@team.test", role: "viewer", password: "long enough 2" });
    expect(taken.status).toBe(409);
    const bad = await api("POST", "/users", { email: "nope", role: "boss", password: "short", extra: 1 });
    expect(bad.status).toBe(400);
    const { issues } = (await bad.json()) as { issues: { path: string }[] };
    expect(issues.map((i) => i.path).sort()).toEqual(["email", "extra", "password", "role"]);
  });

  it("log in with email and password; a wrong password or unknown email is 401; the admin token still works", async () => {
    const form = await (await call("/admin/login")).text();
    // One form, one button: email and password, or the owner's token.
    expect(form.match(/type="submit"/g)).toHaveLength(1);
    for (const field of ["email", "password", "token"]) expect(form).toContain(`name="${field}"`);
    const user = await userOf("viewer");
    expect((await user.get("/admin/offers")).status).toBe(200);
    const wrong = await loginResponse(user.email, "not the password");
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("Wrong email or password.");
    expect((await loginResponse("nobody@team.test", user.password)).status).toBe(401);
    expect((await (await adminSession()).get("/admin/users")).status).toBe(200);
  });

  it("disabling a user ends their session at the next request, and they cannot log in again", async () => {
    const user = await userOf("editor");
    expect((await user.get("/admin")).status).toBe(200);
    expect((await api("PATCH", `/users/${user.id}`, { disabled: true })).status).toBe(200);
    const next = await user.get("/admin");
    expect(next.status).toBe(303);
    expect(next.headers.get("location")).toContain("/admin/login");
    expect(await logIn(user.email, user.password)).toBeNull();
    // DELETE disables as well.
    const other = await userOf("viewer");
    expect(await (await api("DELETE", `/users/${other.id}`)).json()).toMatchObject({ disabled: true });
    expect((await other.get("/admin")).status).toBe(303);
  });

  it("a password change ends the user's sessions; the new password logs in, the old one not", async () => {
    const user = await userOf("editor");
    expect((await api("PATCH", `/users/${user.id}`, { password: "a brand new one" })).status).toBe(200);
    expect((await user.get("/admin")).status).toBe(303);
    expect(await logIn(user.email, user.password)).toBeNull();
    expect(await logIn(user.email, "a brand new one")).not.toBeNull();
  });

  it("a role change applies at the user's next request", async () => {
    const user = await userOf("viewer");
    expect((await user.get("/admin/conversion-types/1")).status).toBe(403);
    await api("PATCH", `/users/${user.id}`, { role: "editor" });
    expect((await user.get("/admin/conversion-types/999")).status).toBe(404);
  });

  it("login throttling counts users' failures too: 10 wrong passwords, then 429 even for the right one", async () => {
    const user = await userOf("viewer");
    for (let i = 0; i < 10; i++)
      expect((await loginResponse(user.email, `wrong ${i}`, "203.0.113.99")).status).toBe(401);
    const refused = await loginResponse(user.email, user.password, "203.0.113.99");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("admin pages: create a user, change the role, disable", async () => {
    const owner = await adminSession();
    const res = await owner.post("/admin/users", {
      email: "page@team.test",
      role: "viewer",
      password: "page password 1",
    });
    expect(res.status).toBe(303);
    const list = await (await owner.get("/admin/users")).text();
    expect(list).toContain("page@team.test");
    expect(list).not.toContain("page password 1");
    const id = Number(/href="\/admin\/users\/(\d+)"/.exec(list.slice(list.indexOf("page@team.test")))![1]);
    expect((await owner.post(`/admin/users/${id}`, { role: "editor", disabled: "1" })).status).toBe(303);
    expect(await (await api("GET", `/users/${id}`)).json()).toMatchObject({ role: "editor", disabled: true });
    const short = await owner.post(`/admin/users/${id}`, { role: "editor", password: "short" });
    expect(short.status).toBe(400);
  });
});

describe("API keys", () => {
  it("are shown once as ct_…, listed by prefix only, stored only as a hash", async () => {
    const body = await created<{ id: number; key: string }>(api("POST", "/keys", { name: "Reports", role: "viewer" }));
    expect(body).toMatchObject({ id: expect.any(Number), name: "Reports", role: "viewer" });
    expect(body.key).toMatch(/^ct_[A-Za-z0-9_-]{43}$/);
    const listed = await (await api("GET", "/keys")).text();
    expect(listed).toContain(body.key.slice(0, 10));
    expect(listed).not.toContain(body.key);
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?").bind(body.id).first();
    expect(JSON.stringify(row)).not.toContain(body.key);
    expect((await api("POST", "/keys", { name: "", role: "owner" })).status).toBe(400);
  });

  it("a read-only key reads, is refused writes with 403 forbidden, and fails the very next request after revocation", async () => {
    const key = await keyOf("viewer");
    expect((await key.call("GET", "/report?from=2026-01-01&to=2026-01-02&groupBy=day")).status).toBe(200);
    const write = await key.call("POST", "/offers", { name: "X", url: "https://x.test/" });
    expect(write.status).toBe(403);
    expect(await write.json()).toMatchObject({ code: "forbidden", error: expect.any(String) });
    expect((await api("DELETE", `/keys/${key.id}`)).status).toBe(200);
    const after = await key.call("GET", "/offers");
    expect(after.status).toBe(401);
    expect(await (await api("GET", `/keys/${key.id}`)).json()).toMatchObject({ revokedAt: expect.any(String) });
  });

  it("wrong keys count against the address's failed logins: the 11th attempt is 429, the right key included", async () => {
    const key = await keyOf("viewer");
    const from = (token: string) =>
      call("/api/offers", { headers: { Authorization: `Bearer ${token}`, "cf-connecting-ip": "192.0.2.55" } });
    for (let i = 0; i < 10; i++) expect((await from(`ct_wrong${i}`)).status).toBe(401);
    expect((await from(key.key)).status).toBe(429);
  });

  it("records the last use, at most one write a minute", async () => {
    const key = await keyOf("editor");
    expect(await (await api("GET", `/keys/${key.id}`)).json()).toMatchObject({ lastUsedAt: null });
    await key.call("GET", "/offers");
    const used = await eventually(
      async () => ((await (await api("GET", `/keys/${key.id}`)).json()) as { lastUsedAt: string | null }).lastUsedAt,
      (v) => v !== null,
    );
    expect(used).not.toBeNull();
    await key.call("GET", "/offers");
    const again = ((await (await api("GET", `/keys/${key.id}`)).json()) as { lastUsedAt: string }).lastUsedAt;
    expect(again).toBe(used);
  });

  it("admin page: the new key is on the answer to the form and nowhere after; Revoke ends it", async () => {
    const owner = await adminSession();
    const res = await owner.post("/admin/keys", { name: "Page key", role: "editor" });
    expect(res.status).toBe(201);
    const key = /value="(ct_[^"]+)"/.exec(await res.text())![1]!;
    const list = await (await owner.get("/admin/keys")).text();
    expect(list).toContain("Page key");
    expect(list).not.toContain(key);
    const id = Number(/action="\/admin\/keys\/(\d+)\/revoke"/.exec(list.slice(list.indexOf("Page key")))![1]);
    expect((await call("/api/offers", { headers: { Authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await owner.post(`/admin/keys/${id}/revoke`, {})).status).toBe(303);
    expect((await call("/api/offers", { headers: { Authorization: `Bearer ${key}` } })).status).toBe(401);
  });
});
