import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  type Browser,
  login,
  openPostbackLog,
  type Server,
  screenshot,
  startRun,
  stopRun,
} from "./harness";

let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ server, browser, page } = await startRun());
});
afterAll(() => stopRun(server, browser));

/** Submits the form holding `button` and waits for the page it leads to. */
async function submit(button: string) {
  await Promise.all([page.waitForLoadState("load"), page.waitForNavigation(), page.click(button)]);
}

const text = (selector: string) => page.locator(selector).innerText();

/** A dry run through the API: "accepted" means the conversion is not registered yet. */
async function dryRunStatus(line: string) {
  const res = await fetch(`${server.url}/api/conversions/upload?dryRun=1`, {
    method: "POST",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "text/plain" },
    body: line,
  });
  return ((await res.json()) as { summary: Record<string, number> }).summary;
}

describe("admin pages in a browser: set up a campaign, click it, upload its conversions", () => {
  it("sends a visitor without a session to the login page and refuses a wrong token", async () => {
    await page.goto(`${server.url}/admin/campaigns`);
    expect(new URL(page.url()).pathname).toBe("/admin/login");
    await screenshot(page, "01-login");
    await page.fill('input[name="token"]', "wrong-token");
    await submit('button[type="submit"]');
    expect(await text("[role=alert]")).toContain("Wrong admin token");
    await login(page, server);
    expect(new URL(page.url()).pathname).toBe("/admin"); // login() opens the login page without `next`: the dashboard
  });

  it("creates an offer, a conversion type and a campaign through the forms", async () => {
    await page.goto(`${server.url}/admin/offers`);
    await page.fill('input[name="name"]', "Shop");
    // The offer's landing is a path of the local server, so the browser really follows the
    // tracking link without any request leaving the machine.
    await page.fill('input[name="url"]', `${server.url}/landing?cid={clickid}&src={var1}`);
    await page.selectOption('select[name="payoutMode"]', "manual");
    await page.fill('input[name="amount"]', "2.5");
    await submit("text=Create offer");
    expect(await text("table")).toContain("manual: 2.5");
    await screenshot(page, "02-offers");

    // A form error is shown on the page, not as a raw error.
    await page.fill('input[name="name"]', "Broken");
    await page.fill('input[name="url"]', "ftp://nope.example/");
    // Skip the browser's own URL check so the server's validation answers (tsconfig has no DOM lib: a string).
    await page.evaluate(`document.querySelector("form.stack").setAttribute("novalidate", "")`);
    await submit("text=Create offer");
    expect(await text("[role=alert]")).toContain("URL: must be an absolute http:// or https:// URL");
    await screenshot(page, "02b-offer-error");

    await page.goto(`${server.url}/admin/conversion-types`);
    await page.fill('input[name="name"]', "app_install");
    await page.uncheck('input[name="includeInConversions"]');
    await submit("text=Create conversion type");
    expect(await text("table")).toContain("app_install");
    expect(await text("table")).toContain("no (revenue only)");
    await screenshot(page, "03-conversion-types");

    await page.goto(`${server.url}/admin/campaigns`);
    await page.fill('input[name="name"]', "Push US");
    await page.selectOption('select[name="costType"]', "cpc");
    await page.fill('input[name="costValue"]', "0.02");
    await page.fill('input[aria-label="Weight of Shop"]', "100");
    await submit("text=Create campaign");
    const row = page.locator("tbody tr", { hasText: "Push US" });
    expect(await row.innerText()).toContain("Shop (100)");
    expect(await row.innerText()).toContain("CPC 0.02");
    await screenshot(page, "04-campaigns");
  });

  it("shows the tracking URL with a working copy button, and the link redirects to the offer with a click ID", async () => {
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await page.goto(`${server.url}/admin/campaigns`);
    const trackingUrl = await page.locator('input[aria-label^="Tracking URL of campaign"]').first().inputValue();
    expect(trackingUrl).toBe(`${server.url}/c/1`);
    const copy = page.locator("button[data-copy]").first();
    await copy.click();
    await expect.poll(() => copy.innerText()).toBe("Copied");
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(trackingUrl);

    await page.goto(`${trackingUrl}?var1=banner7`);
    const landed = new URL(page.url());
    expect(landed.pathname).toBe("/landing");
    expect(landed.searchParams.get("src")).toBe("banner7");
    expect(landed.searchParams.get("cid")).toMatch(/^[A-Za-z0-9_-]{32}$/);
    clickId = landed.searchParams.get("cid")!;
  });

  let clickId = "";

  it("uploads one good, one duplicate and one invalid line: confirmation first, nothing registered before Yes", async () => {
    const good = `${clickId},5.5,order-1`;
    await page.goto(`${server.url}/admin/upload`);
    await page.fill('textarea[name="text"]', [good, good, `${clickId},abc`].join("\n"));
    await screenshot(page, "05-upload-form");
    await submit("text=Save");

    expect(await text("#upload-count")).toContain("2 lines will be uploaded.");
    const invalid = await text("table");
    expect(invalid).toContain("3");
    expect(invalid).toContain("payout: must be a decimal number");
    await screenshot(page, "06-upload-confirm");
    expect(await dryRunStatus(good)).toMatchObject({ accepted: 1, duplicate: 0 });

    await submit("text=Yes, upload conversions");
    expect(new URL(page.url()).pathname).toBe("/admin/upload/confirm");
    const counts = await text("#upload-summary");
    expect(counts.replace(/\s+/g, " ")).toBe("3 lines 1 accepted 1 duplicate 1 rejected");
    const rows = await page.locator("table tbody tr").allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^2\s+\S+\s+duplicate/);
    expect(rows[1]).toMatch(/^3\s+\S+\s+rejected\s+payout: /);
    await screenshot(page, "07-upload-result");
    expect(await dryRunStatus(good)).toMatchObject({ accepted: 0, duplicate: 1 });
  });

  it("the settings page shows the postback URL template with a copy button and saves protection settings", async () => {
    await page.goto(`${server.url}/admin/settings`);
    const template = await page.locator('input[aria-label="Postback URL template"]').inputValue();
    expect(template).toBe(`${server.url}/postback?cid=REPLACE&payout=OPTIONAL&txid=OPTIONAL&et=OPTIONAL`);
    expect(await page.locator('input[aria-label="Tracking URL of Push US"]').inputValue()).toBe(`${server.url}/c/1`);
    await page.fill('textarea[name="postbackAllowedIps"]', "not-an-ip");
    await submit("text=Save settings");
    expect(await text("[role=alert]")).toContain('Allowed IPs: "not-an-ip" is not an IPv4 or IPv6 address');
    await page.fill('input[name="postbackSecret"]', "s3cret");
    await page.fill('textarea[name="postbackAllowedIps"]', "203.0.113.0/24\n127.0.0.1");
    await submit("text=Save settings");
    expect(await text("[role=status]")).toContain("Settings saved.");
    expect(await page.locator('input[aria-label="Postback URL template"]').inputValue()).toMatch(/&secret=s3cret$/);
    expect(await page.locator('textarea[name="postbackAllowedIps"]').inputValue()).toBe("203.0.113.0/24\n127.0.0.1/32");
    await screenshot(page, "08-settings");
  });

  it("the postback log lists postbacks, refused ones included", async () => {
    await fetch(`${server.url}/postback?cid=${clickId}&txid=order-2&secret=wrong`);
    await openPostbackLog(page, server, "refused (403)");
    const first = await page.locator("tbody tr").first().innerText();
    expect(first).toContain("refused (403)");
    expect(first).toContain("secret=***");
    await screenshot(page, "09-postback-log");
  });

  it("edits, archives and restores the campaign; an archived campaign's link stops redirecting", async () => {
    await page.goto(`${server.url}/admin/campaigns`);
    await Promise.all([
      page.waitForNavigation(),
      page.locator("tbody tr", { hasText: "Push US" }).locator("text=Edit").click(),
    ]);
    expect(await page.inputValue('input[name="name"]')).toBe("Push US");
    expect(await page.inputValue('input[aria-label="Weight of Shop"]')).toBe("100");
    expect(await page.inputValue('select[name="costType"]')).toBe("cpc");
    expect(await page.inputValue('input[name="costValue"]')).toBe("0.02");
    await page.fill('input[name="name"]', "Push US v2");
    await screenshot(page, "10-campaign-edit");
    await submit("text=Save campaign");
    const row = page.locator("tbody tr", { hasText: "Push US v2" });
    await Promise.all([page.waitForNavigation(), row.locator("button", { hasText: "Archive" }).click()]);
    expect(await text("main > .scroll > table")).not.toContain("Push US v2");
    // The redirect caches a campaign for a few seconds per isolate (CAMPAIGN_CACHE_TTL_MS).
    const status = () => fetch(`${server.url}/c/1`, { redirect: "manual" }).then((r) => r.status);
    await expect.poll(status, { timeout: 15_000, interval: 500 }).toBe(404);

    await page.click("text=Show archived");
    await Promise.all([
      page.waitForNavigation(),
      page.locator("tbody tr", { hasText: "Push US v2" }).locator("button", { hasText: "Restore" }).click(),
    ]);
    expect(await page.locator("tbody tr", { hasText: "Push US v2" }).innerText()).not.toContain("(archived)");
    await expect.poll(status, { timeout: 15_000, interval: 500 }).toBe(302);
  });

  it("after logging out the pages are closed", async () => {
    await submit("text=Log out");
    expect(new URL(page.url()).pathname).toBe("/admin/login");
    for (const path of [
      "/admin/campaigns",
      "/admin/upload",
      "/admin/settings",
      "/admin/postbacks",
      "/admin/offers/1",
    ]) {
      await page.goto(`${server.url}${path}`);
      expect(new URL(page.url()).pathname, path).toBe("/admin/login");
    }
    const cookies = await browser.context.cookies(server.url);
    expect(cookies.find((c) => c.name === "ct_admin")).toBeUndefined();
  });
});
