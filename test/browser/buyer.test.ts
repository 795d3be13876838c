import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, apiCreate, type Browser, login, type Server, screenshot, startRun, stopRun } from "./harness";

/**
 * The buyer's screens in a browser: the report at 1366 px (the table scrolls, not the page), the
 * column picker remembered on a phone, the lists' figures with presets, the dashboard's chart under
 * an invalid browser language tag.
 */
let server: Server;
let browser: Browser;
let page: Page;

const apiPost = (path: string, body: unknown) => apiCreate(server, path, body);

beforeAll(async () => {
  ({ server, browser, page } = await startRun());
  const offer = await apiPost("/offers", { name: "Shop", url: `${server.url}/landing?cid={clickid}` });
  const campaign = await apiPost("/campaigns", {
    name: "Push Poland — a long campaign name that a buyer gives to tell twenty of them apart",
    offers: [{ offerId: offer.id, weight: 1 }],
    costModel: { type: "cpc", amount: 1250 },
  });
  for (let i = 0; i < 3; i++) await fetch(`${server.url}/c/${campaign.id}`, { redirect: "manual" });
  for (let tries = 0; tries < 100; tries++) {
    const res = await fetch(`${server.url}/api/report`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    if (((await res.json()) as any).totals.visits === 3) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await login(page, server);
});
afterAll(() => stopRun(server, browser));

describe("the report on a 1366-pixel screen", () => {
  it("fits: the table's box is no wider than the window and ROI is reached by scrolling the box", async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${server.url}/admin/report`);
    const sizes = {
      page: await page.evaluate<number>("document.documentElement.scrollWidth"),
      box: (await page.locator("#report-box").boundingBox())!.width,
    };
    expect(sizes.page).toBeLessThanOrEqual(1366);
    expect(sizes.box).toBeLessThanOrEqual(1366);
    await page.locator("#report-box").evaluate((box: any) => {
      box.scrollLeft = box.scrollWidth;
    });
    const roi = await page.locator('#report th[data-field="roi"]').boundingBox();
    expect(roi).not.toBeNull();
    expect(roi!.x + roi!.width).toBeLessThanOrEqual(1366);
    // The name column stays in view while the box scrolls sideways.
    const name = await page.locator("#report tbody td").first().boundingBox();
    expect(name!.x).toBeGreaterThanOrEqual(0);
    expect(name!.x).toBeLessThan(100);
    // Money in the account currency with thousands separators: 3 visits at 1,250.00.
    expect(await page.locator("#report tfoot").innerText()).toContain("$3,750.00");
    await screenshot(page, "buyer-report-1366");
  });

  it("the column picker hides a column and remembers it on a phone", async () => {
    await page.click("#column-picker summary");
    await page.locator("#column-picker label", { hasText: "Clicks" }).locator("input").uncheck();
    expect(await page.locator('#report th[data-field="clicks"]').isHidden()).toBe(true);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    expect(await page.locator('#report th[data-field="clicks"]').isHidden()).toBe(true);
    expect(await page.locator('#report th[data-field="profit"]').isVisible()).toBe(true);
    await screenshot(page, "buyer-report-phone");
    await page.setViewportSize({ width: 1366, height: 768 });
  });
});

describe("lists and dashboard", () => {
  it("the campaigns list shows figures, and a preset sets the range", async () => {
    await page.goto(`${server.url}/admin/campaigns`);
    expect(await page.locator("main table").first().innerText()).toContain("$3,750.00");
    await Promise.all([page.waitForNavigation(), page.click("nav.presets >> text=Yesterday")]);
    expect(await page.locator('nav.presets a[aria-current="true"]').innerText()).toBe("Yesterday");
    await screenshot(page, "buyer-campaigns-yesterday");
  });

  it("the dashboard draws its chart even when the browser's language tag is not valid BCP 47", async () => {
    await page.addInitScript(
      'Object.defineProperty(navigator, "language", { get: () => "en-US@posix", configurable: true });',
    );
    await page.goto(`${server.url}/admin`);
    await page.waitForSelector("#charts:not([hidden]) canvas", { timeout: 5000 });
    expect(await page.locator("#kpis").innerText()).toContain("EPC");
    await screenshot(page, "buyer-dashboard");
  });
});
