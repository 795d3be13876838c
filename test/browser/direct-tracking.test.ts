import { readFileSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { transform } from "esbuild";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Browser, login, ROOT, type Server, screenshot, startRun, stopRun } from "./harness";

let server: Server;
let browser: Browser;
let page: Page;
let lander: HttpServer;
/** The buyer's own site: "localhost", another site than the tracker's 127.0.0.1. */
let site = "";
let campaignId = 0;
let landerId = 0;
const pageErrors: string[] = [];
const beacons: string[] = [];

async function api(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as object) };
}

/** A lander as a buyer builds it: the pasted script tag, calls to action on the tracker, a form. */
function landerHtml(campaign: number, lander?: number): string {
  const landerAttr = lander === undefined ? "" : ` data-lander="${lander}"`;
  return `<!doctype html><title>Lander</title>
    <script async src="${server.url}/dt.js" data-campaign="${campaign}"${landerAttr}></script>
    <h1>Spring offer</h1>
    <p><a id="cta" href="${server.url}/click">Get it</a> · <a id="cta1" href="${server.url}/click/1?x=1">Or this</a>
    · <a id="other" href="https://elsewhere.example/click">Elsewhere</a></p>
    <form><input name="ct_cid" id="field"><input name="email" value="a@b.example"></form>`;
}

beforeAll(async () => {
  ({ server, browser, page } = await startRun());
  lander = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    res.setHeader("content-type", "text/html; charset=utf-8");
    if (url.pathname === "/lp") res.end(landerHtml(campaignId, landerId));
    else if (url.pathname === "/unknown") res.end(landerHtml(987654));
    else res.end(`<!doctype html><title>Offer</title><h1>Offer</h1><p id="q">${url.search}</p>`);
  });
  await new Promise<void>((done) => lander.listen(0, "127.0.0.1", done));
  site = `http://localhost:${(lander.address() as AddressInfo).port}`;
  page.on("pageerror", (err) => pageErrors.push(String(err)));
  page.on("request", (r) => {
    if (r.url().includes("/dt/visit")) beacons.push(r.url());
  });

  const offer = await api("POST", "/offers", {
    name: "Offer",
    url: `${site}/offer?cid={clickid}&f={fbclid}&v={var1}`,
    payout: { mode: "auto" },
  });
  const created = await api("POST", "/landers", { name: "Spring", url: `${site}/lp`, offerCount: 1 });
  landerId = created.id;
  const campaign = await api("POST", "/campaigns", {
    name: "Meta spring",
    flow: { rules: [], defaultPaths: [{ name: "Main", landers: [{ landerId }], offers: [{ offerId: offer.id }] }] },
  });
  campaignId = campaign.id;
});
afterAll(async () => {
  lander?.close();
  await stopRun(server, browser);
});

const ready = () => page.evaluate<string | null>("window.clicktrail.ready");
const clickIdOnPage = () => page.evaluate<string | null>("window.clicktrail.clickId");

describe("the direct-tracking script on a lander of another site", () => {
  it("is plain ES2017: nothing in it needs rewriting for Safari on iOS 11", async () => {
    const source = readFileSync(join(ROOT, "src/click/direct/dt.client.js"), "utf8");
    const modern = await transform(source, { target: "esnext" });
    for (const target of ["es2017", "ios11"]) {
      // esbuild rewrites every template literal for Safari before 13 because of a WebKit bug in
      // tagged templates; the script has none, so plain template literals are allowed here.
      const old = await transform(source, { target, supported: { "template-literal": true } });
      expect(old.code, target).toBe(modern.code);
    }
  });

  it("records one visit, decorates the links (also later ones), fills the field; a reload keeps it", async () => {
    await browser.context.addCookies([{ name: "_fbp", value: "fb.1.1700000000000.42", url: site }]);
    await page.goto(`${site}/lp?fbclid=FBX-1&var1=spring`, { referer: "https://m.facebook.com/" });
    const clickId = await ready();
    expect(clickId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(beacons).toHaveLength(1);

    const hrefs = await page.$$eval("a", (links) => links.map((a: any) => String(a.href)));
    expect(hrefs).toEqual([
      `${server.url}/click?cid=${clickId}`,
      `${server.url}/click/1?x=1&cid=${clickId}`,
      "https://elsewhere.example/click",
    ]);
    expect(await page.inputValue("#field")).toBe(clickId);
    expect(await clickIdOnPage()).toBe(clickId);
    const cookie = (await browser.context.cookies(site)).find((c) => c.name === "ct_cid");
    expect(cookie).toMatchObject({ sameSite: "Lax", path: "/", domain: "localhost" });
    expect(cookie!.value.startsWith(`${clickId}.${campaignId}.`)).toBe(true);
    expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(29 * 86_400);

    // A call to action the page adds after load.
    await page.evaluate(
      `document.body.insertAdjacentHTML("beforeend", '<a id="late" href="${server.url}/click/1">Late offer</a>')`,
    );
    await page.waitForFunction(`document.getElementById("late").href.endsWith("?cid=${clickId}")`);
    await screenshot(page, "direct-tracking-01-lander");

    // Visits reach D1 through the queue a moment after the beacon's answer.
    await expect.poll(() => api("GET", `/visits/${clickId}`), { timeout: 30_000 }).toMatchObject({ status: 200 });
    const visit = await api("GET", `/visits/${clickId}`);
    expect(visit.visit).toMatchObject({
      campaignId,
      landerId,
      fbclid: "FBX-1",
      fbp: "fb.1.1700000000000.42",
      var1: "spring",
      referrerDomain: "m.facebook.com",
      device: "desktop",
    });

    await page.reload();
    expect(await ready()).toBe(clickId);
    expect(beacons).toHaveLength(1);

    // The call to action goes through the tracker to the offer, with the visit's tokens.
    await Promise.all([page.waitForURL((u) => u.pathname === "/offer"), page.click("#cta")]);
    expect(await page.textContent("#q")).toBe(`?cid=${clickId}&f=FBX-1&v=spring`);
    await screenshot(page, "direct-tracking-02-offer");
    expect(pageErrors).toEqual([]);

    // The click lookup shows the ad click IDs beside the other attributes.
    await login(page, server);
    await page.goto(`${server.url}/admin/visits?clickId=${clickId}`);
    const row = (name: string) => page.locator("tr", { has: page.locator(`th:text-is("${name}")`) }).locator("td");
    expect(await row("fbclid").textContent()).toBe("FBX-1");
    expect(await row("gclid").textContent()).toBe("—");
    await screenshot(page, "direct-tracking-03-lookup");
  });

  it("an unknown campaign: no click ID, nothing thrown on the page", async () => {
    await page.goto(`${site}/unknown`);
    expect(await ready()).toBeNull();
    expect(await clickIdOnPage()).toBeNull();
    expect(await page.getAttribute("#cta", "href")).toBe(`${server.url}/click`);
    expect(beacons.at(-1)).toContain("campaign=987654");
    expect(pageErrors).toEqual([]);
  });
});
