import http from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ADMIN_TOKEN, type Browser, login, type Server, screenshot, startRun, stopRun } from "./harness";

// A network's postback endpoint on this machine: answers 404 first, then 200.
const calls: { url: string; userAgent: string | undefined }[] = [];
const answers = [404];
const network = http.createServer((req, res) => {
  calls.push({ url: req.url ?? "", userAgent: req.headers["user-agent"] });
  res.statusCode = answers.shift() ?? 200;
  res.end();
});

let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await new Promise<void>((r) => network.listen(0, "127.0.0.1", r));
  ({ server, browser, page } = await startRun());
  await login(page, server);
});
afterAll(async () => {
  await stopRun(server, browser);
  network.closeAllConnections();
  await new Promise((r) => network.close(r));
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json() as Promise<any>;
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

it("a conversion's postback refused by the network shows as failed; Retry on the page delivers it", async () => {
  const port = (network.address() as { port: number }).port;
  const source = await api("POST", "/traffic-sources", {
    name: "Local network",
    externalId: { param: "clickid", placeholder: "{click_id}" },
    postbackUrl: `http://127.0.0.1:${port}/pb?c={externalid}&p={payout}&s={status}`,
  });
  const offer = await api("POST", "/offers", {
    name: "Shop",
    url: `${server.url}/landing?cid={clickid}`,
    payout: { mode: "auto" },
  });
  const campaign = await api("POST", "/campaigns", {
    name: "Push",
    offers: [{ offerId: offer.id }],
    trafficSourceId: source.id,
  });

  const click = await fetch(`${server.url}/c/${campaign.id}?clickid=net-42`, { redirect: "manual" });
  const clickId = new URL(click.headers.get("location")!).searchParams.get("cid")!;
  await new Promise((r) => setTimeout(r, 1000)); // the visit is written just after the redirect
  const postback = await fetch(`${server.url}/postback?cid=${clickId}&payout=2.5`);
  expect(await postback.json()).toMatchObject({ status: "accepted" });

  const state = async () => (await api("GET", "/source-postbacks")).deliveries[0];
  expect(await until(state, (d) => d?.status === "failed")).toMatchObject({ status: "failed", lastHttpStatus: 404 });

  await page.goto(`${server.url}/admin/source-postbacks`);
  const row = page.locator("tbody tr").first();
  expect(await row.innerText()).toContain(`/pb?c=net-42&p=2.5&s=approved`);
  expect(await row.innerText()).toContain("HTTP 404");
  await screenshot(page, "source-postbacks-01-failed");

  await Promise.all([page.waitForNavigation(), row.locator("button", { hasText: "Retry" }).click()]);
  expect(await page.locator("p.notice").innerText()).toContain("is queued again");
  expect(await until(state, (d) => d?.status === "delivered")).toMatchObject({ attempts: 2, lastHttpStatus: 200 });
  await page.reload();
  expect(await page.locator("tbody tr").first().innerText()).toContain("delivered");
  expect(await page.locator("tbody tr button").count()).toBe(0);
  await screenshot(page, "source-postbacks-02-delivered");

  expect(calls.map((c) => c.url)).toEqual(["/pb?c=net-42&p=2.5&s=approved", "/pb?c=net-42&p=2.5&s=approved"]);
  expect(calls.every((c) => c.userAgent?.startsWith("clicktrail/"))).toBe(true);
});
