import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, login, type Server, screenshot, startRun, stopRun } from "./harness";

// The network's macros, as plain text.
const SUBID = `\${SUBID}`;
const COST = `\${COST}`;

let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ server, browser, page } = await startRun());
  await login(page, server);
});
afterAll(() => stopRun(server, browser));

async function submit(button: string) {
  await Promise.all([page.waitForLoadState("load"), page.waitForNavigation(), page.click(button)]);
}

describe("traffic sources in a browser", () => {
  it("a source made in the form gives its campaign a tracking URL the network can fill, and the click reads it", async () => {
    await page.goto(`${server.url}/admin/traffic-sources`);
    await page.fill('input[name="name"]', 'Propeller <"&>');
    await page.fill('input[name="externalIdParam"]', "clickid");
    await page.fill('input[name="externalIdPlaceholder"]', SUBID);
    await page.fill('input[name="costParam"]', "cost");
    await page.fill('input[name="costPlaceholder"]', COST);
    await page.fill('input[aria-label="Variable 1 parameter"]', "zone");
    await page.fill('input[aria-label="Variable 1 placeholder"]', "{zoneid}");
    await page.fill('input[aria-label="Variable 1 alias"]', "Zone");
    await submit("text=Create traffic source");
    const row = page.locator("tbody tr", { hasText: 'Propeller <"&>' });
    expect(await row.innerText()).toContain(`clickid=${SUBID}&cost=${COST}&zone={zoneid}`);
    await screenshot(page, "sources-01-list");

    await page.goto(`${server.url}/admin/offers`);
    await page.fill('input[name="name"]', "Shop");
    await page.fill(
      'input[name="url"]',
      `${server.url}/landing?ext={externalid}&zone={var1}&src={trafficsource.name}&cid={clickid}`,
    );
    await submit("text=Create offer");

    await page.goto(`${server.url}/admin/campaigns`);
    await page.fill('input[name="name"]', "Push");
    await page.fill('input[aria-label="Weight of Shop"]', "1");
    await page.selectOption('select[name="trafficSourceId"]', { label: 'Propeller <"&>' });
    await submit("text=Create campaign");
    await screenshot(page, "sources-02-campaign");

    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const campaignRow = page.locator("tbody tr", { hasText: 'Propeller <"&>' });
    const trackingUrl = await campaignRow.locator('input[aria-label^="Tracking URL of campaign"]').inputValue();
    expect(trackingUrl).toMatch(
      new RegExp(`^${server.url}/c/\\d+\\?clickid=\\$\\{SUBID\\}&cost=\\$\\{COST\\}&zone=\\{zoneid\\}$`),
    );
    const copy = campaignRow.locator("button[data-copy]");
    await copy.click();
    await expect.poll(() => copy.innerText()).toBe("Copied");
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(trackingUrl);

    // The network replaces its macros, then the visitor follows the link.
    const filled = trackingUrl.replace(SUBID, "net-77").replace(COST, "0.003").replace("{zoneid}", "z 5");
    await page.goto(filled);
    const landed = new URL(page.url());
    expect(landed.pathname).toBe("/landing");
    expect(landed.searchParams.get("ext")).toBe("net-77");
    expect(landed.searchParams.get("zone")).toBe("z 5");
    expect(landed.searchParams.get("src")).toBe('Propeller <"&>');
    expect(landed.searchParams.get("cid")).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
