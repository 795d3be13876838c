import { beforeAll, describe, expect, it } from "vitest";
import { formatDay, localDay, parseDay } from "../src/lib/timezone";
import { api, call, setupCampaign } from "./helpers";
import { adminPage, hrefs, sessionCookie, tableRows } from "./page-helpers";
import { getJson, insertConversions, insertVisits } from "./report-helpers";

// The dashboard (/admin) in the settings' zone, Asia/Kolkata (UTC+5:30, no DST), on visits
// written for today and yesterday there, and its files under /admin/assets.
const TZ = "Asia/Kolkata";
const now = Date.now();
const today = localDay(TZ, now);
const yesterday = formatDay(parseDay(today)! - 1);
let cookie = "";

/** Noon of a local day in Kolkata, as epoch ms, but never later than now. */
const noon = (day: string) => Math.min(Date.parse(`${day}T12:00:00+05:30`), now - 1000);

beforeAll(async () => {
  cookie = await sessionCookie();
  expect((await api("PATCH", "/settings", { timezone: TZ })).status).toBe(200);
  const names = ["Alpha", "Beta <img src=x>", "Gamma"];
  for (const [i, name] of names.entries()) {
    const { campaign, offer } = await setupCampaign({}, { name });
    const v = { campaignId: campaign.id, offerId: offer.id, costMicros: 100_000 };
    const todays = await insertVisits(4 + i, { ...v, at: noon(today) });
    await insertVisits(2, { ...v, at: noon(yesterday) });
    // Profit over both days: Alpha 3 − 0.60, Beta 1 − 0.70, Gamma 6 − 0.80 → Gamma, Alpha, Beta.
    const payouts = [3_000_000, 1_000_000, 6_000_000];
    await insertConversions([{ ...v, clickId: todays[0], at: noon(today), payoutMicros: payouts[i]! }]);
  }
});

const shown = (html: string, metric: string, day: string) =>
  new RegExp(`data-metric="${metric}".*?data-day="${day}" data-value="([^"]*)">([^<]*)<`, "s").exec(html)!.slice(1);

describe("dashboard", () => {
  it("opens at /admin, after login too, and needs a session", async () => {
    expect((await call("/admin")).headers.get("location")).toBe("/admin/login?next=%2Fadmin");
    const { status, html } = await adminPage("/admin", cookie);
    expect(status).toBe(200);
    expect(html).toContain("<title>Dashboard · clicktrail</title>");
    expect(html).toContain(`Today is ${today} in ${TZ}`);
  });

  it("today and yesterday in the settings' zone are the API's figures, with the change", async () => {
    const { html } = await adminPage("/admin", cookie);
    const [t, y] = await Promise.all(
      [today, yesterday].map((d) => getJson(`/report?from=${d}&to=${d}&tz=${encodeURIComponent(TZ)}&groupBy=day`)),
    );
    for (const metric of ["visits", "conversions", "revenue", "cost", "profit", "roi"]) {
      expect(Number(shown(html, metric, "today")[0]), metric).toBe(t.totals[metric]);
      expect(Number(shown(html, metric, "yesterday")[0]), metric).toBe(y.totals[metric]);
    }
    expect(t.totals).toMatchObject({ visits: 15, conversions: 3, revenue: 10, cost: 1.5, profit: 8.5 });
    expect(shown(html, "revenue", "today")[1]).toBe("$10.00");
    expect(shown(html, "roi", "yesterday")[1]).toBe("-100.00%");
    const change = (metric: string) =>
      new RegExp(`data-metric="${metric}".*?class="change[^"]*">([^<]*)<`, "s").exec(html)![1];
    expect(change("visits")).toBe("+9 (+150.00%)");
    expect(change("cost")).toBe("+$0.90 (+150.00%)");
    expect(change("revenue")).toBe("+$10.00");
    expect(change("roi")).toBe("+666.67 pts");
    expect(html).toMatch(/data-metric="cost".*?class="change bad"/s);
  });

  it("lists the last 30 days for the chart, days without traffic at zero", async () => {
    const { html } = await adminPage("/admin", cookie);
    const rows = tableRows(html, "daily");
    expect(rows).toHaveLength(30);
    expect(rows.at(-1)).toEqual([today, "15", "3", "$10.00", "$1.50", "$8.50"]);
    expect(rows.at(-2)).toEqual([yesterday, "6", "0", "$0.00", "$0.60", "-$0.60"]);
    expect(rows[0]).toEqual([formatDay(parseDay(today)! - 29), "0", "0", "$0.00", "$0.00", "$0.00"]);
    expect(html).toContain(
      `<tr data-day="${today}"><td>${today}</td><td class="num" data-field="visits" data-value="15">`,
    );
  });

  it("a preset link shows its range; today against yesterday stays", async () => {
    const { html } = await adminPage("/admin", cookie);
    expect(html).toMatch(/aria-current="true">Last 30 days</);
    const link = /href="([^"]*)"[^>]*>Yesterday</.exec(html)![1]!.replace(/&amp;/g, "&");
    expect(link).toBe(`/admin?from=${yesterday}&to=${yesterday}&tz=${encodeURIComponent(TZ)}`);
    const { status, html: page } = await adminPage(link, cookie);
    expect(status).toBe(200);
    expect(page).toMatch(/aria-current="true">Yesterday</);
    expect(page).toContain(`<h2 id="range-shown">${yesterday} to ${yesterday}</h2>`);
    expect(tableRows(page, "daily")).toEqual([[yesterday, "6", "0", "$0.00", "$0.60", "-$0.60"]]);
    // Yesterday's profit per campaign: each lost its two visits' cost.
    expect(tableRows(page, "top-campaigns").map((r) => r[5])).toEqual(["-$0.20", "-$0.20", "-$0.20"]);
    expect(Number(shown(page, "visits", "today")[0])).toBe(15);
    expect(Number(shown(page, "visits", "yesterday")[0])).toBe(6);
    expect(hrefs(page)).toContain(
      `/admin/report?from=${yesterday}&to=${yesterday}&tz=${encodeURIComponent(TZ)}&groupBy=campaign&orderBy=profit&order=desc`,
    );
    const bad = await adminPage(`/admin?from=${today}&to=${yesterday}`, cookie);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("To: must not be before from");
  });

  it("ranks campaigns by profit, names escaped, each linking to its report", async () => {
    const { html } = await adminPage("/admin", cookie);
    const top = tableRows(html, "top-campaigns");
    expect(top.map((r) => [r[0], r[5]])).toEqual([
      ["Gamma", "$5.20"],
      ["Alpha", "$2.40"],
      ["Beta &lt;img src=x&gt;", "$0.30"],
    ]);
    expect(html).not.toContain("<img");
    expect(html).toMatch(
      /href="\/admin\/report\?from=[-\d]+&amp;to=[-\d]+&amp;tz=Asia%2FKolkata&amp;groupBy=day&amp;campaignId=3">Gamma</,
    );
  });

  it("loads its chart only from its own origin: no inline script, CSP self", async () => {
    const { html, res } = await adminPage("/admin", cookie);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    const scripts = [...html.matchAll(/<script([^>]*)>(.*?)<\/script>/gs)];
    expect(scripts.map((m) => /src="([^"]+)"/.exec(m[1]!)?.[1])).toEqual([
      "/admin/assets/copy.js",
      "/admin/assets/uplot.js",
      "/admin/assets/dashboard.js",
    ]);
    expect(scripts.every((m) => m[2] === "")).toBe(true);
    expect(html).not.toMatch(/ style="|<style/);
  });

  it("serves uPlot and the chart script from the worker, without a session, with an ETag", async () => {
    const lib = await call("/admin/assets/uplot.js");
    expect(lib.status).toBe(200);
    expect(lib.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    // The locale fallback first (an invalid navigator.language must not stop uPlot), then uPlot.
    expect(await lib.text()).toMatch(
      /^\(function \(\) \{[\s\S]*\/\*! https:\/\/github.com\/leeoniya\/uPlot \(v1\.6\.\d+\) \*\/\nvar uPlot=/,
    );
    const again = await call("/admin/assets/uplot.js", { headers: { "If-None-Match": lib.headers.get("etag")! } });
    expect(again.status).toBe(304);
    const css = await call("/admin/assets/uplot.css");
    expect([css.status, css.headers.get("content-type")]).toEqual([200, "text/css; charset=utf-8"]);
    expect(await css.text()).toContain(".uplot");
    const script = await (await call("/admin/assets/dashboard.js")).text();
    expect(script).toContain('document.getElementById("daily")');
  });
});
