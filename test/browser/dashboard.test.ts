import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Browser, login, SCREENSHOTS, type Server, screenshot, startRun, stopRun } from "./harness";

// The dashboard and the drill-down report in Chromium: chart drawn, figures equal to the API's,
// a three-level drill-down, sorting, a bookmarked view, escaping, a phone-sized screen.
let server: Server;
let browser: Browser;
let page: Page;
/** Script errors and refusals by the Content-Security-Policy, which Chromium logs as errors. */
const consoleErrors: string[] = [];
const TZ = "Asia/Kolkata";
const today = new Intl.DateTimeFormat("en-CA", { timeZone: TZ }).format(new Date());
// Markup that would run if a new page printed a name unescaped.
const EVIL = `Camp <img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script>`;

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, path).toBeLessThan(300);
  return (await res.json()) as any;
};
const report = (query: string) => api("GET", `/report?tz=${encodeURIComponent(TZ)}&${query}`);

/** Two campaigns: "Search" (6 clicks at 0.25, 2 conversions at 3.00) and EVIL (3 clicks at 0.10, 1 at 0.20). */
beforeAll(async () => {
  ({ server, browser, page } = await startRun());
  await api("PATCH", "/settings", { timezone: TZ });
  const offer = await api("POST", "/offers", {
    name: "Shop",
    url: `${server.url}/landing?cid={clickid}`,
    payout: { mode: "auto" },
  });
  const plan = [
    { name: "Search", cpc: 0.25, clicks: 6, payouts: ["3.00", "3.00"] },
    { name: EVIL, cpc: 0.1, clicks: 3, payouts: ["0.20"] },
  ];
  for (const p of plan) {
    const campaign = await api("POST", "/campaigns", {
      name: p.name,
      offers: [{ offerId: offer.id, weight: 1 }],
      costPerClick: p.cpc,
    });
    const ids: string[] = [];
    for (let i = 0; i < p.clicks; i++) {
      const res = await fetch(`${server.url}/c/${campaign.id}`, { redirect: "manual" });
      ids.push(new URL(res.headers.get("location")!).searchParams.get("cid")!);
    }
    for (const [i, payout] of p.payouts.entries())
      expect((await fetch(`${server.url}/postback?cid=${ids[i]}&payout=${payout}`)).status).toBe(200);
  }
  // Visits and conversions are written after the answers: wait until the report has them all.
  for (let tries = 0; tries < 100; tries++) {
    const { totals } = await report("groupBy=day");
    if (totals.visits === 9 && totals.conversions === 3) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  await login(page, server);
});
afterAll(() => stopRun(server, browser));

const texts = (selector: string) => page.locator(selector).allInnerTexts();

/** The report's first row by column title (the page shows more columns as the engine grows). */
async function firstRowByTitle(): Promise<Record<string, string>> {
  const titles = (await page.locator("#report thead th").allInnerTexts()).map((t) =>
    t.replace(/[^A-Za-z ]+$/, "").trim(),
  );
  const cells = await page.locator("#report tbody tr:first-child td").allInnerTexts();
  return { first: cells[0] ?? "", ...Object.fromEntries(titles.slice(1).map((t, i) => [t, cells[i + 1] ?? ""])) };
}
const go = (locator: ReturnType<Page["locator"]>) => Promise.all([page.waitForNavigation(), locator.click()]);
/** How many pixels of a canvas are painted (not fully transparent). */
const paintedPixels = (selector: string) =>
  page.locator(selector).evaluate((canvas: any) => {
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  });

describe("dashboard", () => {
  it("opens after login with today's figures equal to GET /api/report's, and draws both charts", async () => {
    expect(new URL(page.url()).pathname).toBe("/admin");
    const { totals } = await report(`from=${today}&to=${today}&groupBy=day`);
    expect(totals).toMatchObject({ visits: 9, conversions: 3, revenue: 6.2, cost: 1.8, profit: 4.4 });
    for (const metric of ["visits", "conversions", "revenue", "cost", "profit", "roi"]) {
      const cell = page.locator(`[data-metric="${metric}"] [data-day="today"]`);
      expect(Number(await cell.getAttribute("data-value")), metric).toBe(totals[metric]);
    }
    expect(await texts('[data-day="today"]')).toEqual([
      "9",
      "3",
      "$6.20",
      "$0.00",
      "$1.80",
      "$4.40",
      "33.33%",
      "$0.6889",
      "244.44%",
    ]);

    await page.locator("#chart-money canvas").waitFor();
    for (const chart of ["#chart-traffic", "#chart-money"]) {
      const box = (await page.locator(`${chart} canvas`).boundingBox())!;
      expect(box.width, chart).toBeGreaterThan(300);
      expect(await paintedPixels(`${chart} canvas`), chart).toBeGreaterThan(500);
    }
    expect(await texts("#chart-traffic .u-legend th")).toEqual(expect.arrayContaining(["Visits", "Conversions"]));
    // With the charts drawn, the per-day table folds away (one click to open).
    expect(await page.locator("#daily").isVisible()).toBe(false);
    expect(await texts("#top-campaigns tbody td:first-child")).toEqual(["Search", EVIL]);
    expect(consoleErrors).toEqual([]);
    await screenshot(page, "dashboard-01-desktop");
  });

  it("without JavaScript shows the same figures as a table and no chart", async () => {
    const plain = await page.context().newPage();
    const cdp = await page.context().newCDPSession(plain);
    await cdp.send("Emulation.setScriptExecutionDisabled", { value: true });
    await plain.goto(`${server.url}/admin`);
    expect(await plain.locator("#charts").isVisible()).toBe(false);
    expect(await plain.locator("#daily").isVisible()).toBe(true);
    const last = await plain.locator("#daily tbody tr").last().locator("td").allInnerTexts();
    expect(last).toEqual([today, "9", "3", "$6.20", "$1.80", "$4.40"]);
    await plain.screenshot({ path: join(SCREENSHOTS, "dashboard-02-no-javascript.png"), fullPage: true });
    await plain.close();
  });
});

const base = () => `${server.url}/admin/report?from=${today}&to=${today}&tz=${encodeURIComponent(TZ)}`;

describe("drill-down report", () => {
  it("campaign → day → country through row links, the picker and breadcrumbs", async () => {
    await page.goto(`${base()}&groupBy=campaign`);
    await go(page.locator("#report tbody a", { hasText: "Search" }));
    expect(new URL(page.url()).searchParams.get("groupBy")).toBe("offer");
    await go(page.locator('nav[aria-label="Group by"] a', { hasText: /^Day$/ }));
    expect(await firstRowByTitle()).toMatchObject({
      first: today,
      Visits: "6",
      Conversions: "2",
      Revenue: "$6.00",
      Cost: "$1.50",
      Profit: "$4.50",
      CR: "33.33%",
      EPC: "$1.00",
      ROI: "300.00%",
    });
    await screenshot(page, "drill-01-campaign-by-day");
    await go(page.locator("#report tbody a", { hasText: today }));
    await go(page.locator('nav[aria-label="Group by"] a', { hasText: /^Country$/ }));
    const url = new URL(page.url());
    expect([...url.searchParams.keys()]).toEqual(["from", "to", "tz", "groupBy", "campaignId", "day"]);
    expect(url.searchParams.get("groupBy")).toBe("country");
    const api = await report(
      `from=${today}&to=${today}&groupBy=country&campaignId=${url.searchParams.get("campaignId")}`,
    );
    // Label, visits and conversions, read by column title (the table has more columns).
    const titles = await texts("#report thead th");
    const conv = titles.findIndex((t) => t.startsWith("Conversions"));
    const rows = await page
      .locator("#report tbody tr")
      .evaluateAll(
        (trs, i) =>
          trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)).map((c) => [c[0], c[1], c[i]]),
        conv,
      );
    expect(rows).toEqual(api.rows.map((r: any) => [r.label, String(r.visits), String(r.conversions)]));
    expect(await texts(".crumbs li")).toEqual(["All", "Campaign: Search", `Day: ${today}`, "by Country"]);
    await screenshot(page, "drill-02-country");

    // The campaign crumb undoes the day filter: back to the days of that campaign.
    await go(page.locator(".crumbs a", { hasText: "Campaign: Search" }));
    expect(new URL(page.url()).searchParams.get("groupBy")).toBe("day");
    expect(new URL(page.url()).searchParams.has("day")).toBe(false);
    expect(await texts(".crumbs li")).toEqual(["All", "Campaign: Search", "by Day"]);
  });

  it("sorts by a clicked column on the server, and flips on a second click", async () => {
    await page.goto(`${base()}&groupBy=campaign`);
    await go(page.locator("#report thead a", { hasText: "Profit" }));
    expect(new URL(page.url()).searchParams.get("orderBy")).toBe("profit");
    expect(await texts("#report tbody td:first-child")).toEqual(["Search", EVIL]);
    await go(page.locator("#report thead a", { hasText: "Profit" }));
    expect(new URL(page.url()).searchParams.get("order")).toBe("asc");
    expect(await texts("#report tbody td:first-child")).toEqual([EVIL, "Search"]);
    expect(await page.locator("#report thead th[aria-sort=ascending]").innerText()).toContain("Profit");
    await screenshot(page, "drill-03-sorted");
  });

  it("a bookmarked URL reopens the same view: path, grouping, order and numbers", async () => {
    await page.goto(`${base()}&groupBy=campaign`);
    await go(page.locator("#report tbody a", { hasText: "Search" }));
    await go(page.locator('nav[aria-label="Group by"] a', { hasText: /^Country$/ }));
    await go(page.locator("#report thead a", { hasText: "Visits" }));
    const bookmark = page.url();
    const before = { crumbs: await texts(".crumbs li"), table: await texts("#report tr") };
    const reopened = await page.context().newPage();
    await reopened.goto(bookmark);
    expect(await reopened.locator(".crumbs li").allInnerTexts()).toEqual(before.crumbs);
    expect(await reopened.locator("#report tr").allInnerTexts()).toEqual(before.table);
    expect(await reopened.inputValue('input[name="from"]')).toBe(today);
    expect(await reopened.inputValue('select[name="groupBy"]')).toBe("country");
    await reopened.close();
  });

  it("prints names with markup as text on the dashboard, the report, its crumbs and the CSV", async () => {
    const inert = async (name: string) => {
      expect(await page.locator("body").innerText(), name).toContain(EVIL);
      expect(await page.locator("img").count(), name).toBe(0);
      expect(await page.evaluate("window.__xss"), name).toBeUndefined();
      const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as any).src));
      expect(
        scripts.every((s) => s.startsWith(`${server.url}/admin/assets/`)),
        name,
      ).toBe(true);
    };
    await page.goto(`${server.url}/admin`);
    await inert("dashboard");
    await page.goto(`${base()}&groupBy=campaign`);
    await inert("report");
    await go(page.locator("#report tbody a", { hasText: "Camp <img" }));
    await inert("crumbs");
    expect(await texts(".crumbs li")).toEqual(["All", `Campaign: ${EVIL}`, "by Offer"]);
    expect(browser.dialogs).toEqual([]);
    await screenshot(page, "drill-04-escaping");
  });
});

describe("phone-sized screen (375 × 812)", () => {
  it("folds the navigation, scrolls tables inside their box and keeps the form within the screen", async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    try {
      await page.goto(`${server.url}/admin`);
      const pageWidth = () => page.evaluate<number>("document.documentElement.scrollWidth");
      expect(await pageWidth()).toBeLessThanOrEqual(375);
      const reportLink = page.locator("header a", { hasText: "Report" });
      expect(await reportLink.isVisible()).toBe(false);
      await page.locator("header summary", { hasText: "Menu" }).click();
      expect(await reportLink.isVisible()).toBe(true);
      await screenshot(page, "phone-01-dashboard-menu");
      await go(reportLink);

      await page.goto(`${base()}&groupBy=campaign`);
      expect(await pageWidth()).toBeLessThanOrEqual(375);
      const box = page.locator("#report-box");
      const [scrollWidth, clientWidth] = await box.evaluate((el) => [el.scrollWidth, el.clientWidth]);
      expect(scrollWidth).toBeGreaterThan(clientWidth);
      for (const field of ['input[name="from"]', 'select[name="tz"]', 'select[name="groupBy"]', "button"]) {
        const b = (await page.locator(`form.range-form ${field}`).boundingBox())!;
        expect(b.x + b.width, field).toBeLessThanOrEqual(375);
      }
      await screenshot(page, "phone-02-report");
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    // Back on a wide screen the links show in a row and there is no Menu button.
    expect(await page.locator("header summary").isVisible()).toBe(false);
    expect(await page.locator("header a", { hasText: "Report" }).isVisible()).toBe(true);
  });
});
