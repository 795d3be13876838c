import { Hono } from "hono";
import { inspectRoutes } from "hono/dev";
import { beforeAll, describe, expect, it } from "vitest";
import { adminSite } from "../src/admin/site";
import { api as apiApp } from "../src/api";
import { mayUse, type Rule } from "../src/features/access/roles";
import { ACCESS } from "../src/features/access/table";
import { BASE, call } from "./helpers";
import { keyOf, type Role, userOf } from "./teams-helpers";

// The app's /api and /admin exactly as src/index.ts mounts them.
const app = new Hono().route("/api", apiApp).route("/admin", adminSite);
const endpoints = [
  ...new Set(
    inspectRoutes(app)
      .filter((r) => !r.isMiddleware)
      .map((r) => `${r.method} ${r.path}`),
  ),
];
const table = ACCESS as Record<string, Rule>;
const ROLES: Role[] = ["admin", "editor", "viewer"];

/** A concrete request for a route pattern: ids that do not exist, so allowed writes change nothing. */
function requestFor(key: string) {
  const [method, pattern] = key.split(" ") as [string, string];
  const path = pattern
    .replace(/:id/g, "999999")
    .replace(/:clickId/g, "no-such-click")
    .replace("*", "no-such-page");
  return { method: method === "ALL" ? "GET" : method, path };
}

describe("the access table covers every route", () => {
  it("has an entry for every registered route of /api and /admin, and none for a route that does not exist", () => {
    expect(endpoints.length).toBeGreaterThan(100);
    expect(endpoints.filter((e) => !(e in table))).toEqual([]);
    expect(Object.keys(table).filter((k) => !endpoints.includes(k))).toEqual([]);
  });

  it("names the audited entity of every changing route (only the upload's preview steps, rule previews and the test event change nothing)", () => {
    const unaudited = endpoints.filter(
      (e) => !e.startsWith("GET ") && !e.startsWith("ALL ") && table[e]?.level !== "public" && !table[e]?.audit,
    );
    expect(unaudited.sort()).toEqual(
      [
        "POST /admin/traffic-sources/:id/test-event",
        "POST /admin/upload/edit",
        "POST /admin/upload/check",
        "POST /api/rules/:id/preview",
        "POST /admin/rules/:id/preview",
      ].sort(),
    );
  });
});

describe("what the roles mean", () => {
  const changing = (e: string) => !e.startsWith("GET ") && !e.startsWith("ALL ") && table[e]?.level !== "public";

  it("a viewer has no changing route (no write, no upload), only reads", () => {
    expect(endpoints.filter((e) => changing(e) && mayUse("viewer", table[e]!))).toEqual([]);
    expect(endpoints.filter((e) => e.includes("/upload") && mayUse("viewer", table[e]!))).toEqual([]);
  });

  it("an editor has every route but users, keys, settings and the audit log", () => {
    const adminOnly = /^\w+ \/(api|admin)\/(users|keys|settings|audit)(\/|$)/;
    expect(endpoints.filter((e) => adminOnly.test(e) && mayUse("editor", table[e]!))).toEqual([]);
    expect(endpoints.filter((e) => !adminOnly.test(e) && !mayUse("editor", table[e]!))).toEqual([]);
  });
});

describe("every route × every role, through the real app", () => {
  const principals: Record<
    Role,
    { api: (m: string, p: string) => Promise<Response>; page: (m: string, p: string) => Promise<Response> }
  > = {} as never;

  beforeAll(async () => {
    for (const role of ROLES) {
      const key = await keyOf(role);
      const user = await userOf(role);
      principals[role] = {
        api: (method, path) =>
          key.call(method, path.slice("/api".length), method === "GET" || method === "DELETE" ? undefined : {}),
        page: (method, path) =>
          call(path, {
            method,
            headers: { Cookie: user.cookie, ...(method !== "GET" && { Origin: BASE }) },
            body: method === "GET" ? undefined : new URLSearchParams({}),
          }),
      };
    }
  });

  for (const role of ROLES) {
    it(`${role}: 403 forbidden exactly where the table refuses the role`, async () => {
      const wrong: string[] = [];
      for (const key of endpoints) {
        // A route missing from the table must be refused to every role (deny by default).
        const rule = table[key];
        // Public routes sit before the login (and logging out would end the session under test).
        if (rule?.level === "public") continue;
        const { method, path } = requestFor(key);
        const p = principals[role];
        const res = await (path.startsWith("/api/") ? p.api(method, path) : p.page(method, path));
        const allowed = rule !== undefined && mayUse(role, rule);
        if (allowed && (res.status === 403 || res.status === 401))
          wrong.push(`${key}: ${res.status}, expected allowed`);
        if (!allowed) {
          if (res.status !== 403) wrong.push(`${key}: ${res.status}, expected 403`);
          else if (path.startsWith("/api/")) {
            const body = (await res.json()) as { code: string; error: string };
            if (body.code !== "forbidden" || !body.error) wrong.push(`${key}: body ${JSON.stringify(body)}`);
          }
        }
        if (!res.bodyUsed) await res.body?.cancel();
      }
      expect(wrong).toEqual([]);
    });
  }

  it("the public routes answer without a login", async () => {
    for (const key of endpoints.filter((e) => table[e]?.level === "public" && e.startsWith("GET "))) {
      const res = await call(requestFor(key).path);
      expect(res.status, key).toBe(200);
      await res.body?.cancel();
    }
  });
});

describe("pages hide what a role cannot use", () => {
  const postForms = (html: string) =>
    [...html.matchAll(/<form[^>]*method="post"[^>]*action="([^"]*)"/g)].map((m) => m[1]);

  it("a viewer sees the offers but no form, archive button or edit link; an editor sees them", async () => {
    const offer = await keyOf("editor").then((k) =>
      k.call("POST", "/offers", { name: "Shown", url: "https://o.test/a" }),
    );
    const { id } = (await offer.json()) as { id: number };
    const viewer = await userOf("viewer");
    const editor = await userOf("editor");
    const seen = await (await viewer.get("/admin/offers")).text();
    expect(seen).toContain("Shown");
    expect(postForms(seen)).toEqual(["/admin/logout"]);
    expect(seen).not.toContain(`href="/admin/offers/${id}"`);
    const edited = await (await editor.get("/admin/offers")).text();
    expect(postForms(edited)).toEqual(expect.arrayContaining(["/admin/offers", `/admin/offers/${id}/archive`]));
    expect(edited).toContain(`href="/admin/offers/${id}"`);
  });

  it("the menu shows Users, API keys, Audit log and Settings to admins only", async () => {
    const menu = ["/admin/users", "/admin/keys", "/admin/audit", "/admin/settings"];
    const editorHtml = await (await (await userOf("editor")).get("/admin")).text();
    const adminHtml = await (await (await userOf("admin")).get("/admin")).text();
    for (const href of menu) {
      expect(editorHtml).not.toContain(`href="${href}"`);
      expect(adminHtml).toContain(`href="${href}"`);
    }
    expect(editorHtml).toContain('href="/admin/offers"');
  });
});
