import { api, BASE, call, created } from "./helpers";

export type Role = "admin" | "editor" | "viewer";

/** A fresh API key of `role`, and an API call made with it. */
export async function keyOf(role: Role, name = `${role} script`) {
  const body = await created<{ id: number; key: string }>(api("POST", "/keys", { name, role }));
  return {
    id: body.id,
    key: body.key,
    call: (method: string, path: string, json?: unknown) =>
      call(`/api${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${body.key}`,
          ...(json !== undefined && { "content-type": "application/json" }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
      }),
  };
}

let n = 0;

/** A new user of `role` (created by the owner) logged in through the login form, as a browser would. */
export async function userOf(role: Role, password = "correct horse battery") {
  const email = `${role}${++n}@team.test`;
  const user = await created<{ id: number }>(api("POST", "/users", { email, role, password }));
  const cookie = await logIn(email, password);
  if (!cookie) throw new Error(`login of ${email} failed`);
  return {
    id: user.id,
    email,
    password,
    cookie,
    get: (path: string) => call(path, { headers: { Cookie: cookie } }),
    post: (path: string, fields: Record<string, string>) =>
      call(path, { method: "POST", headers: { Cookie: cookie, Origin: BASE }, body: new URLSearchParams(fields) }),
  };
}

/** The session cookie of a login with email and password, or null when refused. */
export async function logIn(email: string, password: string, ip = "198.51.100.7"): Promise<string | null> {
  const res = await loginResponse(email, password, ip);
  return /ct_admin=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0] ?? null;
}

export function loginResponse(email: string, password: string, ip = "198.51.100.7") {
  return call("/admin/login", {
    method: "POST",
    headers: { Origin: BASE, "cf-connecting-ip": ip },
    body: new URLSearchParams({ email, password }),
  });
}
