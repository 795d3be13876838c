import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";

/** Shared test helpers: drive the worker through its real fetch handler. */
export const BASE = "https://tracker.test";
export const ADMIN = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(BASE + path, { redirect: "manual", ...init }));
}

/** An admin API call with the bearer token and a JSON body. */
export function api(method: string, path: string, body?: unknown): Promise<Response> {
  return call(`/api${path}`, {
    method,
    headers: { ...ADMIN, ...(body !== undefined && { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function created<T = any>(res: Response | Promise<Response>): Promise<T> {
  const r = await res;
  const body = await r.json();
  expect(r.status, JSON.stringify(body)).toBe(201);
  return body as T;
}

export function createOffer(body: Record<string, unknown> = {}) {
  return created(
    api("POST", "/offers", {
      name: "Offer",
      url: "https://offer.example/lp?cid={clickid}",
      payout: { mode: "auto" },
      ...body,
    }),
  );
}

export function createCampaign(offers: { offerId: number; weight?: number }[], body: Record<string, unknown> = {}) {
  return created(api("POST", "/campaigns", { name: "Campaign", offers, ...body }));
}

/** An offer and a one-offer campaign: the smallest thing that can be clicked. */
export async function setupCampaign(offer: Record<string, unknown> = {}, campaign: Record<string, unknown> = {}) {
  const o = await createOffer(offer);
  const c = await createCampaign([{ offerId: o.id, weight: 1 }], campaign);
  return { offer: o, campaign: c };
}

/** Clicks a campaign link and returns the click ID read back from the redirect's cookie. */
export async function click(campaignId: number, query = ""): Promise<{ res: Response; clickId: string }> {
  const res = await call(`/c/${campaignId}${query}`);
  expect(res.status).toBe(302);
  const cookie = res.headers.get("set-cookie") ?? "";
  const clickId = /ct_cid=([A-Za-z0-9_-]+)/.exec(cookie)?.[1];
  expect(clickId).toBeDefined();
  return { res, clickId: clickId! };
}

/** Polls until `check` passes: for work the worker finishes after answering (waitUntil). */
export async function eventually<T>(fn: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Logs into the admin pages; `get` and `post` carry the session cookie and Origin as a browser would. */
export async function adminSession() {
  const res = await call("/admin/login", {
    method: "POST",
    headers: { Origin: BASE },
    body: new URLSearchParams({ token: env.ADMIN_TOKEN }),
  });
  const cookie = /ct_admin=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
  return {
    get: (path: string) => call(path, { headers: { Cookie: cookie } }),
    post: (path: string, fields: Record<string, string>) =>
      call(path, { method: "POST", headers: { Cookie: cookie, Origin: BASE }, body: new URLSearchParams(fields) }),
  };
}

/** The error lines an admin page shows in its alert box, as the reader sees them (unescaped). */
export function pageErrors(html: string): string[] {
  const box = /<div class="notice bad" role="alert"><ul>(.*?)<\/ul><\/div>/s.exec(html)?.[1] ?? "";
  const unescapeHtml = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  return [...box.matchAll(/<li>(.*?)<\/li>/gs)].map((m) => unescapeHtml(m[1]!));
}

/** A traffic source with the PropellerAds-style parameters of docs/tracking.md, unless `body` says otherwise. */
export function createTrafficSource(body: Record<string, unknown> = {}) {
  return created(
    api("POST", "/traffic-sources", {
      name: "Network",
      externalId: { param: "clickid", placeholder: `\${SUBID}` },
      cost: { param: "cost", placeholder: `\${COST}` },
      variables: [{ slot: 1, param: "zone", placeholder: "{zoneid}", alias: "Zone" }],
      ...body,
    }),
  );
}

/** A flow with one rule on `field` = `value` (path "Direct") and a default path, both to one offer. */
export function oneRuleFlow(offerId: number, rule: string, field: string, value: string) {
  return {
    rules: [
      {
        name: rule,
        conditions: [{ field, op: "in", values: [value] }],
        paths: [{ name: "Direct", offers: [{ offerId }] }],
      },
    ],
    defaultPaths: [{ name: "Fallback", offers: [{ offerId }] }],
  };
}
