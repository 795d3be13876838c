import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, apiCreate, type Browser, login, type Server, screenshot, startRun, stopRun } from "./harness";

let server: Server;
let browser: Browser;
let page: Page;
const clickIds: string[] = [];

const apiGet = (path: string) =>
  fetch(`${server.url}/api${path}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
const apiPost = (path: string, body: unknown) => apiCreate(server, path, body);
const today = (tz: string) => new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(new Date());

/** 4 clicks at 0.10, postbacks of 1.50 on three of them: the hand count the pages must show. */
beforeAll(async () => {
  ({ server, browser, page } = await startRun());
  const offer = await apiPost("/offers", {
    name: "Shop",
    url: `${server.url}/landing?cid={clickid}`,
    payout: { mode: "auto" },
  });
  const campaign = await apiPost("/campaigns", {
    name: "Push PL",
    offers: [{ offerId: offer.id, weight: 1 }],
    costPerClick: 0.1,
  });
  for (let i = 0; i < 4; i++) {
    const res = await fetch(`${server.url}/c/${campaign.id}`, { redirect: "manual" });
    clickIds.push(new URL(res.headers.get("location")!).searchParams.get("cid")!);
  }
  for (const cid of clickIds.slice(0, 3))
    expect((await fetch(`${server.url}/postback?cid=${cid}&payout=1.50`)).status).toBe(200);
  // Visits are written after the redirect answers: wait until the report has them all.
  for (let tries = 0; tries < 100; tries++) {
    const body: any = await (await apiGet(`/report?tz=UTC`)).json();
    if (body.totals.visits === 4 && body.totals.conversions === 3) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await login(page, server);
});
afterAll(() => stopRun(server, browser));

async function apply() {
  await Promise.all([page.waitForNavigation(), page.click("text=Apply")]);
}

const cellTexts = (selector: string) => page.locator(selector).allInnerTexts();

/** The report's first row by column title (the page shows more columns as the engine grows). */
async function firstRowByTitle(): Promise<Record<string, string>> {
  const titles = (await page.locator("#report thead th").allInnerTexts()).map((t) =>
    t.replace(/[^A-Za-z ]+$/, "").trim(),
  );
  const cells = await page.locator("#report tbody tr:first-child td").allInnerTexts();
  return { first: cells[0] ?? "", ...Object.fromEntries(titles.slice(1).map((t, i) => [t, cells[i + 1] ?? ""])) };
}

describe("report and conversions pages in a browser", () => {
  it("the report page shows the hand count for the range, zone and grouping chosen in the form", async () => {
    await Promise.all([page.waitForNavigation(), page.click("nav >> text=Report")]);
    expect(new URL(page.url()).pathname).toBe("/admin/report");
    const tz = "Asia/Kolkata";
    await page.fill('input[name="from"]', today(tz));
    await page.fill('input[name="to"]', today(tz));
    await page.selectOption('select[name="tz"]', tz);
    await page.selectOption('select[name="groupBy"]', "campaign");
    await apply();
    const url = new URL(page.url());
    expect([url.searchParams.get("tz"), url.searchParams.get("groupBy")]).toEqual([tz, "campaign"]);
    expect(await firstRowByTitle()).toMatchObject({
      first: "Push PL",
      Visits: "4",
      Conversions: "3",
      Revenue: "$4.50",
      Cost: "$0.40",
      Profit: "$4.10",
      CR: "75.00%",
      EPC: "$1.125",
      ROI: "1,025.00%",
    });
    const titles = await cellTexts("#report thead th");
    const foot = await cellTexts("#report tfoot th, #report tfoot td");
    expect(foot[0]).toBe("Total");
    const total = (title: string) => foot[titles.findIndex((t) => t.startsWith(title))];
    expect([total("Visits"), total("Conversions"), total("Revenue"), total("Cost")]).toEqual([
      "4",
      "3",
      "$4.50",
      "$0.40",
    ]);
    await screenshot(page, "report-01-campaign");

    await page.selectOption('select[name="groupBy"]', "day");
    await apply();
    expect(await firstRowByTitle()).toMatchObject({
      first: today(tz),
      Visits: "4",
      Conversions: "3",
      Revenue: "$4.50",
      Cost: "$0.40",
      Profit: "$4.10",
      CR: "75.00%",
      EPC: "$1.125",
      ROI: "1,025.00%",
    });
    await screenshot(page, "report-02-day");
  });

  it("the conversions list shows the click IDs for a date range and downloads the same rows as CSV", async () => {
    await Promise.all([page.waitForNavigation(), page.click("nav >> text=Conversions")]);
    await page.fill('input[name="from"]', today("UTC"));
    await page.fill('input[name="to"]', today("UTC"));
    await page.selectOption('select[name="tz"]', "UTC");
    await apply();
    const header = await cellTexts("#conversions thead th");
    const col = header.indexOf("Click ID");
    expect(col).toBeGreaterThan(-1);
    const shown = await page.locator(`#conversions tbody tr td:nth-child(${col + 1})`).allInnerTexts();
    expect(shown.sort()).toEqual(clickIds.slice(0, 3).sort());
    await screenshot(page, "report-03-conversions");

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=Download CSV")]);
    const csv = readFileSync((await download.path())!, "utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe(
      "id,clickId,campaignId,offerId,type,txid,payout,conversionTime,receivedAt,source,status,statusChangedAt,currency,originalPayout,extra",
    );
    expect(
      lines
        .slice(1)
        .map((l) => l.split(",")[1])
        .sort(),
    ).toEqual(clickIds.slice(0, 3).sort());
    const fromApi = await (
      await apiGet(`/conversions?from=${today("UTC")}&to=${today("UTC")}&tz=UTC&format=csv`)
    ).text();
    expect(csv).toBe(fromApi);
  });

  it("a bad range is explained on the page", async () => {
    await page.goto(`${server.url}/admin/report?from=2026-05-02&to=2026-05-01`);
    expect(await page.locator("[role=alert]").innerText()).toContain("To: must not be before from");
  });
});
