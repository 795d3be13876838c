import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Browser, login, type Server, screenshot, startRun, stopRun } from "./harness";

let server: Server;
let browser: Browser;
let page: Page;

// A phone as Chrome on Android shows itself: the user agent and the matching Client Hints.
const PHONE_UA =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";
const PHONE_HINTS = {
  brands: [{ brand: "Chromium", version: "126" }],
  fullVersionList: [{ brand: "Chromium", version: "126.0.0.0" }],
  platform: "Android",
  platformVersion: "14.0.0",
  architecture: "",
  model: "Pixel 8",
  mobile: true,
};

let sites: HttpServer;
let site = "";

beforeAll(async () => {
  ({ server, browser, page } = await startRun());
  // The lander and the offers on a web server of their own (another origin than the tracker's),
  // so nothing leaves the machine. The lander's buttons are its calls to action on the tracker.
  sites = createServer((req, res) => {
    res.setHeader("content-type", "text/html");
    if (req.url?.startsWith("/quiz"))
      res.end(`<!doctype html><title>Quiz</title><h1>Which one?</h1>
        <a id="cta1" href="${server.url}/click/1">First</a> <a id="cta2" href="${server.url}/click/2">Second</a>`);
    else res.end("<!doctype html><title>Offer</title><h1>Offer</h1>");
  });
  await new Promise<void>((done) => sites.listen(0, "127.0.0.1", done));
  site = `http://127.0.0.1:${(sites.address() as AddressInfo).port}`;
});
afterAll(async () => {
  sites?.close();
  await stopRun(server, browser);
});

async function submit(button: string) {
  await Promise.all([page.waitForNavigation(), page.click(button)]);
}

async function idOf(kind: "offers" | "landers", name: string): Promise<number> {
  const res = await fetch(`${server.url}/api/${kind}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  const body = (await res.json()) as Record<string, { id: number; name: string }[]>;
  return body[kind]!.find((x) => x.name === name)!.id;
}

describe("landers and flows in a browser", () => {
  let campaignId = 0;

  it("builds offers, a lander, a campaign and its flow through the admin pages", async () => {
    await login(page, server);
    for (const [name, url] of [
      ["Offer one", `${site}/offer-one?cid={clickid}`],
      ["Offer two", `${site}/offer-two?cid={clickid}&o={offer.id}`],
    ]) {
      await page.goto(`${server.url}/admin/offers`);
      await page.fill('input[name="name"]', name!);
      await page.fill('input[name="url"]', url!);
      await submit("text=Create offer");
    }
    await page.goto(`${server.url}/admin/landers`);
    await page.fill('input[name="name"]', "Quiz");
    await page.fill('input[name="url"]', `${site}/quiz?cid={clickid}`);
    await page.fill('input[name="offerCount"]', "2");
    await submit("text=Create lander");
    expect(await page.locator('input[aria-label="Call-to-action URL of offer 2"]').inputValue()).toBe(
      `${server.url}/click/2`,
    );
    await screenshot(page, "landers-01-list");

    await page.goto(`${server.url}/admin/campaigns`);
    await page.fill('input[name="name"]', "Mobile quiz");
    await page.fill('input[aria-label="Weight of Offer one"]', "100");
    await submit("text=Create campaign");
    await page.locator("tbody tr", { hasText: "Mobile quiz" }).locator("text=Edit").click();
    await page.waitForURL(/\/admin\/campaigns\/\d+$/);
    campaignId = Number(page.url().split("/").pop());
    await submit("text=Route through a flow instead");

    const [one, two, quiz] = [
      await idOf("offers", "Offer one"),
      await idOf("offers", "Offer two"),
      await idOf("landers", "Quiz"),
    ];
    await page.selectOption('select[name="flow.defaultPaths[0].offers[0].offerId"]', String(one));
    // The editor's script adds rows in the page: these clicks load nothing.
    await page.click('button[value="addRule"]');
    await page.fill('input[name="flow.rules[0].name"]', "Phones");
    await page.selectOption('select[name="field:flow.rules[0]"]', "device");
    await page.click('button[value="addCondition:flow.rules[0]"]');
    await page.fill('textarea[name="flow.rules[0].conditions[0].values"]', "mobile, tablet");
    await page.click('button[value="addLander:flow.rules[0].paths[0]"]');
    await page.selectOption('select[name="flow.rules[0].paths[0].landers[0].landerId"]', String(quiz));
    await page.click('button[value="addOffer:flow.rules[0].paths[0]"]');
    await page.selectOption('select[name="flow.rules[0].paths[0].offers[0].offerId"]', String(one));
    await page.selectOption('select[name="flow.rules[0].paths[0].offers[1].offerId"]', String(two));
    await page.fill('input[name="flow.rules[0].paths[0].name"]', "Quiz path");
    await screenshot(page, "landers-02-flow-editor");
    await submit('button[value="save"] >> nth=0');
    expect(await page.locator("[role=status]").innerText()).toContain("Flow saved");
    expect(await page.locator('input[aria-label="Call-to-action URL of offer 2"]').first().inputValue()).toBe(
      `${server.url}/click/2`,
    );
    await screenshot(page, "landers-03-flow-saved");
  });

  it("a phone goes visit → lander → /click/2 → the second offer with the same click ID", async () => {
    const phone = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(phone);
    await cdp.send("Emulation.setUserAgentOverride", { userAgent: PHONE_UA, userAgentMetadata: PHONE_HINTS });
    // The campaign cache may serve the rotation saved before the flow for a few seconds.
    await expect
      .poll(
        async () => {
          await phone.goto(`${server.url}/c/${campaignId}`);
          return new URL(phone.url()).pathname;
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe("/quiz");
    const clickId = new URL(phone.url()).searchParams.get("cid")!;
    expect(clickId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await screenshot(phone, "landers-04-phone-lander");
    await Promise.all([phone.waitForURL(/\/offer-two\?/), phone.click("#cta2")]);
    const offer = new URL(phone.url());
    expect(offer.searchParams.get("cid")).toBe(clickId);
    expect(offer.searchParams.get("o")).toBe(String(await idOf("offers", "Offer two")));
    await phone.close();
  });

  it("a desktop goes straight to the offer", async () => {
    await page.goto(`${server.url}/c/${campaignId}`);
    const offer = new URL(page.url());
    expect(offer.pathname).toBe("/offer-one");
    expect(offer.searchParams.get("cid")).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
