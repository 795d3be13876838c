import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Browser, login, type Server, screenshot, startRun, stopRun } from "./harness";

let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ server, browser, page } = await startRun());
});
afterAll(async () => {
  await stopRun(server, browser);
});

async function api(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
  return res.json();
}

describe("the flow editor in a browser", () => {
  it("adds and removes paths and offers without reloading the page, then saves them", async () => {
    const one = await api("POST", "/offers", {
      name: "A rather long offer name that must show whole",
      url: "https://a.example/?c={clickid}",
    });
    const two = await api("POST", "/offers", { name: "Second offer", url: "https://b.example/?c={clickid}" });
    const lander = await api("POST", "/landers", {
      name: "Quiz",
      url: "https://lp.example/?c={clickid}",
      offerCount: 1,
    });
    const campaign = await api("POST", "/campaigns", { name: "In-page editor", offers: [{ offerId: one.id }] });
    await login(page, server);
    await page.goto(`${server.url}/admin/campaigns/${campaign.id}/flow`);
    let loads = 0;
    page.on("load", () => loads++);

    await page.selectOption('select[name="flow.defaultPaths[0].offers[0].offerId"]', String(one.id));
    // Two more paths, then the middle one removed: the last is renamed to the second place.
    await page.click('button[value="addPath:flow"]');
    await page.click('button[value="addPath:flow"]');
    await page.fill('input[name="flow.defaultPaths[2].name"]', "Kept");
    await page.click('button[value="remove:flow.defaultPaths[1]"]');
    expect(await page.inputValue('input[name="flow.defaultPaths[1].name"]')).toBe("Kept");
    expect(await page.locator('input[name="flow.defaultPaths[2].name"]').count()).toBe(0);
    await page.click('button[value="addOffer:flow.defaultPaths[1]"]');
    await page.selectOption('select[name="flow.defaultPaths[1].offers[0].offerId"]', String(one.id));
    await page.selectOption('select[name="flow.defaultPaths[1].offers[1].offerId"]', String(two.id));
    await page.fill('input[name="flow.defaultPaths[1].offers[1].weight"]', "30");
    expect(await page.locator('tr[data-kind="offers"]').last().locator("td").first().innerText()).toBe(
      "Offer 2 (/click/2)",
    );
    expect(await page.locator("fieldset.path legend").last().innerText()).toBe("Kept");
    // A rule with a condition and a lander, all in the page too.
    await page.click('button[value="addRule"]');
    await page.fill('input[name="flow.rules[0].name"]', "Phones");
    await page.selectOption('select[name="field:flow.rules[0]"]', "device");
    await page.click('button[value="addCondition:flow.rules[0]"]');
    expect(await page.inputValue('select[name="flow.rules[0].conditions[0].field"]')).toBe("device");
    await page.fill('textarea[name="flow.rules[0].conditions[0].values"]', "mobile");
    await page.click('button[value="addLander:flow.rules[0].paths[0]"]');
    await page.selectOption('select[name="flow.rules[0].paths[0].landers[0].landerId"]', String(lander.id));
    await page.selectOption('select[name="flow.rules[0].paths[0].offers[0].offerId"]', String(two.id));
    expect(loads).toBe(0);
    // The editor takes the page's width (it was a 40rem column), so long offer names show whole.
    expect((await page.locator("form.flow").boundingBox())!.width).toBeGreaterThan(900);
    await screenshot(page, "flow-editor-01-in-page");

    await Promise.all([page.waitForNavigation(), page.click('button[value="save"] >> nth=0')]);
    expect(await page.locator("[role=status]").innerText()).toContain("Flow saved");
    const { flow } = await api("GET", `/campaigns/${campaign.id}`);
    expect(flow.rules).toHaveLength(1);
    expect(flow.rules[0]).toMatchObject({
      name: "Phones",
      conditions: [{ field: "device", op: "in", values: ["mobile"] }],
      paths: [{ landers: [{ landerId: lander.id }], offers: [{ offerId: two.id }] }],
    });
    expect(flow.defaultPaths).toHaveLength(2);
    expect(flow.defaultPaths[1]).toMatchObject({
      name: "Kept",
      offers: [
        { offerId: one.id, weight: 100 },
        { offerId: two.id, weight: 30 },
      ],
    });
    await screenshot(page, "flow-editor-02-saved");
  });
});
