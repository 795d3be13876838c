import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, apiCreate, type Browser, login, type Server, screenshot, startRun, stopRun } from "./harness";

/**
 * The buyer's other screens in a browser: a variable under its source's name on the click lookup
 * and the cost-update form, the lookup's status history, the source-postback log naming its
 * source, and the dashboard's presets. Screenshots are saved for review.
 */
let server: Server;
let browser: Browser;
let page: Page;
let campaignId = 0;
let clickId = "";

const apiGet = async (path: string) =>
  (await fetch(`${server.url}/api${path}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json() as any;

/** Polls `read` until `done` holds, or fails after the deadline (the queue consumer writes visits). */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  ({ server, browser, page } = await startRun());
  const source = await apiCreate(server, "/traffic-sources", {
    name: "PushNet",
    externalId: { param: "clickid", placeholder: "{clickid}" },
    variables: [{ slot: 1, param: "zone", placeholder: "{zoneid}", alias: "Zone" }],
    postbackUrl: `${server.url}/landing?sub={externalid}`,
  });
  const offer = await apiCreate(server, "/offers", { name: "Shop", url: `${server.url}/landing?cid={clickid}` });
  const campaign = await apiCreate(server, "/campaigns", {
    name: "Push PL",
    trafficSourceId: source.id,
    offers: [{ offerId: offer.id, weight: 1 }],
  });
  campaignId = campaign.id;
  const click = await fetch(`${server.url}/c/${campaignId}?zone=zoneA&clickid=ext1`, { redirect: "manual" });
  clickId = new URL(click.headers.get("location")!).searchParams.get("cid")!;
  await until(
    () => apiGet(`/visits/${clickId}`),
    (v) => v.visit?.clickId === clickId,
    "the visit",
  );
  for (const status of ["pending", "approved"])
    expect((await fetch(`${server.url}/postback?cid=${clickId}&status=${status}&payout=10`)).status).toBe(200);
  await until(
    () => apiGet(`/visits/${clickId}`),
    (v) => v.conversions?.[0]?.history?.length === 2,
    "the conversion's second status",
  );
  await login(page, server);
});
afterAll(() => stopRun(server, browser));

describe("one name for a thing, and the status history", () => {
  it("the click lookup titles var1 by its source's name and lists pending → approved", async () => {
    await page.goto(`${server.url}/admin/visits?clickId=${clickId}`);
    const text = await page.locator("main").innerText();
    expect(text).toContain("Zone");
    expect(text).toContain("zoneA");
    expect(text).toContain("PushNet");
    const history = await page.locator("ol.history li").allInnerTexts();
    expect(history.map((h) => h.split(",")[0])).toEqual(["pending", "approved"]);
    await screenshot(page, "buyer-names-01-lookup");
  });

  it("the cost-update form offers the campaign's variable as Zone", async () => {
    await page.goto(`${server.url}/admin/cost-updates?campaignId=${campaignId}`);
    const options = await page.locator('option[value="var1"]').allInnerTexts();
    expect(options).toContain("Zone");
    await screenshot(page, "buyer-names-02-cost-updates");
  });

  it("the source-postback log names the traffic source", async () => {
    await page.goto(`${server.url}/admin/source-postbacks`);
    await until(
      async () => {
        await page.reload();
        return page.locator("main").innerText();
      },
      (t) => t.includes("PushNet"),
      "the delivery in the log",
    );
    await screenshot(page, "buyer-names-03-source-postbacks");
  });

  it("the dashboard's Yesterday preset shows yesterday's range", async () => {
    await page.goto(`${server.url}/admin`);
    await page.getByRole("link", { name: "Yesterday" }).first().click();
    await page.waitForURL(/from=/);
    const from = new URL(page.url()).searchParams.get("from");
    const to = new URL(page.url()).searchParams.get("to");
    // One day, the day before today in the settings' zone (UTC by default).
    expect(from).toBe(to);
    expect(from).toBe(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    await screenshot(page, "buyer-names-04-dashboard-yesterday");
  });
});
