import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
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

// Markup that would run if any page printed it unescaped.
const SCRIPT = `<script>window.__xss=1;alert("xss")</script>`;
const IMG = `<img src=x onerror="window.__xss=2;alert(2)">`;

let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ server, browser, page } = await startRun());
  await login(page, server);
});
afterAll(() => stopRun(server, browser));

async function submit(button: string) {
  await Promise.all([page.waitForNavigation(), page.click(button)]);
}

/** The payload shows as text, and nothing it carries became an element or ran. */
async function expectShownAsText(name: string, payloads: string[]) {
  const body = await page.locator("body").innerText();
  for (const p of payloads) expect(body, `${name}: ${p}`).toContain(p);
  const scripts = await page
    .locator("script")
    .evaluateAll((els) => els.map((e) => (e as unknown as { src: string }).src));
  expect(scripts, name).toEqual([`${server.url}/admin/assets/copy.js`]);
  expect(await page.locator("img").count(), name).toBe(0);
  expect(await page.evaluate("window.__xss"), name).toBeUndefined();
  expect(browser.dialogs, name).toEqual([]);
  await screenshot(page, `escaping-${name}`);
}

it("names, form values, upload lines and postback parameters holding markup show as text on every page", async () => {
  await page.goto(`${server.url}/admin/offers`);
  await page.fill('input[name="name"]', `Offer ${IMG}`);
  await page.fill('input[name="url"]', `${server.url}/landing?cid={clickid}`);
  await submit("text=Create offer");
  await expectShownAsText("offers", [`Offer ${IMG}`]);

  await page.goto(`${server.url}/admin/campaigns`);
  await page.fill('input[name="name"]', `Camp ${SCRIPT}`);
  await page.locator('input[name^="weight_"]').first().fill("1");
  await submit("text=Create campaign");
  await expectShownAsText("campaigns", [`Camp ${SCRIPT}`, `Offer ${IMG}`]);
  await page.goto(`${server.url}/admin/campaigns/1`);
  expect(await page.inputValue('input[name="name"]')).toBe(`Camp ${SCRIPT}`);
  await expectShownAsText("campaign-edit", [`Offer ${IMG}`]);
  await page.goto(`${server.url}/admin/settings`);
  await expectShownAsText("settings", [`Camp ${SCRIPT}`]);

  // A cost update filtered by a var1 value holding markup: the list shows both as text.
  await page.goto(`${server.url}/admin/cost-updates`);
  await page.selectOption('select[name="campaignId"]', "1");
  await page.fill('input[name="from"]', "2026-05-04");
  await page.fill('input[name="to"]', "2026-05-04");
  await page.fill('input[name="amount"]', "1");
  await page.selectOption('select[name="filter1"]', "var1");
  await page.fill('input[name="value1"]', SCRIPT);
  await submit("text=Set the cost");
  await expectShownAsText("cost-updates", [`Camp ${SCRIPT}`, `var1 = ${SCRIPT}`]);

  // A conversion type name cannot hold markup; the refused value comes back in the form, inert.
  await page.goto(`${server.url}/admin/conversion-types`);
  await page.fill('input[name="name"]', SCRIPT);
  await submit("text=Create conversion type");
  expect(await page.locator("[role=alert]").innerText()).toContain("Name: must be 1-64 characters");
  expect(await page.inputValue('input[name="name"]')).toBe(SCRIPT);
  await expectShownAsText("conversion-type-error", []);

  // A click, then a postback whose parameters hold markup: refused and logged.
  const redirect = await fetch(`${server.url}/c/1`, { redirect: "manual" });
  const clickId = new URL(redirect.headers.get("location")!).searchParams.get("cid")!;
  const postback = await fetch(
    `${server.url}/postback?cid=${clickId}&et=${encodeURIComponent(SCRIPT)}&txid=${encodeURIComponent(IMG)}`,
  );
  expect(postback.status).toBe(400);
  await openPostbackLog(page, server, `et=${SCRIPT}`);
  await expectShownAsText("postback-log", [`et=${SCRIPT}`, `txid=${IMG}`]);

  // An upload line naming that "type": listed as rejected on the confirmation and the result.
  await page.goto(`${server.url}/admin/upload`);
  await page.fill('textarea[name="text"]', `${clickId},1,,${SCRIPT}\n${IMG}`);
  await submit("text=Save");
  await expectShownAsText("upload-confirm", [SCRIPT.slice(0, 40), IMG]);
  expect(await page.locator("#upload-count").innerText()).toContain("0 lines will be uploaded.");
  await submit("text=Edit lines");
  expect(await page.inputValue('textarea[name="text"]')).toBe(`${clickId},1,,${SCRIPT}\n${IMG}`);
  await expectShownAsText("upload-edit", []);

  // The API refuses nothing it should not: the same line is rejected there too, by name.
  const api = await fetch(`${server.url}/api/conversions/upload`, {
    method: "POST",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "text/plain" },
    body: `${clickId},1,,${SCRIPT}`,
  });
  expect(((await api.json()) as any).lines[0].error).toContain("conversion type: unknown conversion type");
});
