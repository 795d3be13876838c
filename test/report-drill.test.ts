import { beforeAll, describe, expect, it } from "vitest";
import { createTrafficSource, setupCampaign } from "./helpers";
import { adminPage, hrefs, sessionCookie, tableRows } from "./page-helpers";
import { getJson, insertConversions, insertVisits, visitRecord, writeVisits } from "./report-helpers";

// The drill-down report page (/admin/report) through the worker, on visits and conversions
// written into the local D1: campaign A has PL and DE visits on Aug 1 and PL on Aug 2; B has US.
let cookie = "";
let a = 0;
let b = 0;
const RANGE = "from=2026-08-01&to=2026-08-03&tz=UTC";
const NAME_A = `Push <b>PL</b> & "co"`;

beforeAll(async () => {
  cookie = await sessionCookie();
  const first = await setupCampaign({ name: "Shop" }, { name: NAME_A });
  const second = await setupCampaign({ name: "Other" }, { name: "=HYPERLINK(1)" });
  a = first.campaign.id;
  b = second.campaign.id;
  const at = "2026-08-01T10:00:00Z";
  const pl = await insertVisits(10, { campaignId: a, offerId: first.offer.id, at, country: "PL", costMicros: 20_000 });
  await insertVisits(5, { campaignId: a, offerId: first.offer.id, at, country: "DE", costMicros: 20_000 });
  const later = await insertVisits(4, {
    campaignId: a,
    offerId: first.offer.id,
    at: "2026-08-02T10:00:00Z",
    country: "PL",
    costMicros: 20_000,
  });
  const us = await insertVisits(20, { campaignId: b, offerId: second.offer.id, at, country: "US", costMicros: 10_000 });
  const conv = (clickId: string, campaignId: number, offerId: number, when: string, payoutMicros: number) => ({
    clickId,
    campaignId,
    offerId,
    at: when,
    payoutMicros,
  });
  await insertConversions([
    ...pl.slice(0, 3).map((id) => conv(id, a, first.offer.id, "2026-08-01T11:00:00Z", 1_000_000)),
    conv(later[0]!, a, first.offer.id, "2026-08-02T11:00:00Z", 2_000_000),
    conv(us[0]!, b, second.offer.id, "2026-08-01T11:00:00Z", 500_000),
  ]);
});

const page = (query: string) => adminPage(`/admin/report?${query}`, cookie);
/** The href of the table row whose first cell reads `label`. */
const rowLink = (html: string, label: string) => {
  const body = html.split('id="report"')[1]!.split("</tbody>")[0]!;
  const tr = [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].find((m) => m[1]!.includes(`>${label}</a>`));
  return /href="([^"]+)"/.exec(tr?.[1] ?? "")?.[1]?.replace(/&amp;/g, "&");
};
/** The href of the "Group by" link titled `title`. */
const pickerLink = (html: string, title: string) => {
  const nav = html.split('aria-label="Group by"')[1]!.split("</nav>")[0]!;
  const link = [...nav.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].find((m) => m[2] === title);
  return link?.[1]?.replace(/&amp;/g, "&");
};
/** The report table's column titles, sort arrows removed. */
const headers = (html: string) =>
  [
    ...html
      .split('id="report"')[1]!
      .split("</thead>")[0]!
      .matchAll(/<th[^>]*>(.*?)<\/th>/gs),
  ].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, "")
      .replace(/[▲▼]/g, "")
      .trim(),
  );
/** Index of each column title; a missing column fails the test. */
const columns = (html: string, titles: string[]) => {
  const all = headers(html);
  const at = titles.map((t) => all.indexOf(t));
  expect(at, `columns ${titles} of ${all}`).not.toContain(-1);
  return at;
};
/** Each body row's first cell, then its cells under the given column titles. */
const pick = (html: string, ...titles: string[]) => {
  const at = columns(html, titles);
  return tableRows(html, "report").map((r) => [r[0]!, ...at.map((i) => r[i]!)]);
};
/** The totals row's first cell ("Total"), then its cells under the given column titles. */
const totalsRow = (html: string, ...titles: string[]) => {
  const at = columns(html, titles);
  const foot = html.split('id="report"')[1]!.split("<tfoot>")[1]!.split("</tfoot>")[0]!;
  const cells = [...foot.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((m) => m[1]!.replace(/<[^>]+>/g, "").trim());
  return [cells[0], ...at.map((i) => cells[i])];
};
/** Visits written on a day outside RANGE (so the other tests' figures stay), one per record. */
let extra = 0;
const LATER = "from=2026-09-10&to=2026-09-10&tz=UTC";
const writeLater = (campaignId: number, fields: Partial<Parameters<typeof visitRecord>[0]>[]) =>
  writeVisits(
    fields.map((f) =>
      visitRecord({
        clickId: `x${++extra}`.padEnd(32, "x"),
        createdAt: Date.parse("2026-09-10T12:00:00Z") + extra * 1000,
        campaignId,
        ...f,
      }),
    ),
  );
const crumbs = (html: string) => html.split('class="crumbs"')[1]!.split("</nav>")[0]!;

describe("drill-down", () => {
  it("campaign → day → country: each row opens the next level, and every level shows the API's numbers", async () => {
    const top = await page(`${RANGE}&groupBy=campaign`);
    expect(top.status).toBe(200);
    expect(pick(top.html, "Visits", "Conversions")).toEqual([
      ["=HYPERLINK(1)", "20", "1"],
      ["Push &lt;b&gt;PL&lt;/b&gt; &amp; &quot;co&quot;", "19", "4"],
    ]);
    // The row opens the campaign with a proposed next dimension; the picker offers the others.
    const opened = rowLink(top.html, "Push &lt;b&gt;PL&lt;/b&gt; &amp; &quot;co&quot;")!;
    expect(opened).toBe(`/admin/report?${RANGE.replace(/\//g, "%2F")}&groupBy=offer&campaignId=${a}`);
    const byOffer = await page(opened.split("?")[1]!);
    expect(pick(byOffer.html, "Visits", "Conversions", "Revenue", "Cost", "Profit", "CR", "EPC", "ROI")).toEqual([
      ["Shop", "19", "4", "$5.00", "$0.38", "$4.62", "21.05%", "$0.2632", "1,215.79%"],
    ]);

    const byDay = await page(pickerLink(byOffer.html, "Day")!.split("?")[1]!);
    expect(new URLSearchParams(pickerLink(byOffer.html, "Day")!.split("?")[1]).get("campaignId")).toBe(String(a));
    const days = pick(byDay.html, "Visits", "Conversions");
    expect(days).toEqual([
      ["2026-08-01", "15", "3"],
      ["2026-08-02", "4", "1"],
      ["2026-08-03", "0", "0"],
    ]);
    const api = await getJson(`/report?${RANGE}&groupBy=day&campaignId=${a}`);
    expect(days.map((r) => Number(r[1]))).toEqual(api.rows.map((r: any) => r.visits));

    const dayOpened = rowLink(byDay.html, "2026-08-01")!;
    const dayParams = new URLSearchParams(dayOpened.split("?")[1]);
    expect([...dayParams.keys()]).toEqual(["from", "to", "tz", "groupBy", "campaignId", "day"]);
    const atDay = await page(dayOpened.split("?")[1]!);
    const byCountry = await page(pickerLink(atDay.html, "Country")!.split("?")[1]!);
    const countries = pick(byCountry.html, "Visits", "Conversions", "Revenue");
    const apiCountries = await getJson(`/report?from=2026-08-01&to=2026-08-01&tz=UTC&groupBy=country&campaignId=${a}`);
    expect(countries.map((r) => [r[0], Number(r[1]), Number(r[2]), r[3]])).toEqual(
      [...apiCountries.rows]
        .sort((x: any, y: any) => y.visits - x.visits)
        .map((r: any) => [r.label, r.visits, r.conversions, `$${r.revenue.toFixed(2)}`]),
    );
    expect(countries.map((r) => r[0])).toEqual(["Poland", "Germany"]);

    // Breadcrumbs: All › the campaign (escaped) › the day; each goes back to its level.
    const path = crumbs(byCountry.html);
    expect(path).toContain("Campaign: Push &lt;b&gt;PL&lt;/b&gt; &amp; &quot;co&quot;");
    expect(path).toContain('<span aria-current="page">Day: 2026-08-01</span>');
    const [all, campaign] = hrefs(path);
    expect(all).toBe(`/admin/report?${RANGE.replace(/\//g, "%2F")}&groupBy=campaign`);
    expect(campaign).toBe(`/admin/report?${RANGE.replace(/\//g, "%2F")}&groupBy=day&campaignId=${a}`);
    const back = await page(campaign!.split("?")[1]!);
    expect(tableRows(back.html, "report").map((r) => r[0])).toEqual(["2026-08-01", "2026-08-02", "2026-08-03"]);
  });

  it("the form keeps the path: filters ride along as hidden fields in the URL's order", async () => {
    const { html } = await page(`${RANGE}&groupBy=country&campaignId=${a}&day=2026-08-01`);
    // The report's own form (the bot switch below keeps the whole view too).
    const form = html.split('action="/admin/report"')[1]!.split("</form>")[0]!;
    const hidden = [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]);
    expect(hidden).toEqual([
      ["campaignId", String(a)],
      ["day", "2026-08-01"],
    ]);
  });

  it("a day outside the range shows an empty level with zero totals", async () => {
    const { status, html } = await page(`${RANGE}&groupBy=country&day=2026-09-01`);
    expect(status).toBe(200);
    expect(html).toContain("No visits or conversions in this range.");
    expect(totalsRow(html, "Visits", "Conversions")).toEqual(["Total", "0", "0"]);
  });
});

describe("traffic source names", () => {
  it("var dimensions carry the alias of the source the view is filtered by (or its campaign's)", async () => {
    const source = await createTrafficSource({
      name: "Net <i>work</i>",
      variables: [
        { slot: 1, param: "zone", placeholder: "{zoneid}", alias: "Zone <b>" },
        { slot: 2, param: "site", placeholder: "{site}" },
      ],
    });
    const { campaign, offer } = await setupCampaign({}, { name: "Sourced", trafficSourceId: source.id });
    const sourced = (site: string) => ({
      trafficSourceId: source.id,
      offerId: offer.id,
      vars: [null, site, ...Array(8).fill(null)],
    });
    await writeLater(campaign.id, [sourced("a.example"), sourced("a.example"), sourced("b.example")]);
    const picker = (html: string) => html.split('aria-label="Group by"')[1]!.split("</nav>")[0]!;

    const byCampaign = await page(`${RANGE}&groupBy=var1&campaignId=${campaign.id}`);
    expect(picker(byCampaign.html)).toContain('<strong aria-current="true">Zone &lt;b&gt;</strong>');
    expect(picker(byCampaign.html)).toContain(">site</a>");
    expect(byCampaign.html).toContain('<option value="var1" selected="">Zone &lt;b&gt;</option>');
    expect(crumbs(byCampaign.html)).toContain("by Zone &lt;b&gt;");

    const bySource = await page(`${RANGE}&groupBy=var2&trafficSourceId=${source.id}`);
    expect(crumbs(bySource.html)).toContain("Traffic source: Net &lt;i&gt;work&lt;/i&gt;");
    expect(crumbs(bySource.html)).toContain("by site");
    // The new engine answers var slots: the source's visits grouped by site.
    const sites = await page(`${LATER}&groupBy=var2&trafficSourceId=${source.id}`);
    expect(sites.status).toBe(200);
    expect(headers(sites.html)[0]).toBe("site");
    expect(pick(sites.html, "Visits")).toEqual([
      ["a.example", "2"],
      ["b.example", "1"],
    ]);
    const apiSites = await getJson(`/report?${LATER}&groupBy=var2&trafficSourceId=${source.id}`);
    expect(apiSites.rows.map((r: any) => [r.label, String(r.visits)])).toEqual(pick(sites.html, "Visits"));

    // No source in the view: slots keep their names, two sources may use one slot differently.
    const none = await page(`${RANGE}&groupBy=var1`);
    expect(picker(none.html)).toContain('<strong aria-current="true">var1</strong>');
    expect(picker(none.html)).toContain(">var2</a>");
  });
});

describe("sorting", () => {
  it("orders rows server-side by orderBy/order; a header link flips the current column", async () => {
    const asc = await page(`${RANGE}&groupBy=country&orderBy=visits&order=asc`);
    expect(pick(asc.html, "Visits")).toEqual([
      ["Germany", "5"],
      ["Poland", "14"],
      ["United States", "20"],
    ]);
    expect(asc.html).toMatch(
      /<th data-field="visits" class="num" aria-sort="ascending"><a href="[^"]*orderBy=visits&amp;order=desc"/,
    );
    const profit = await page(`${RANGE}&groupBy=campaign&orderBy=profit&order=desc`);
    expect(pick(profit.html, "Profit").map((r) => r[1])).toEqual(["$4.62", "$0.30"]);
    const byName = await page(`${RANGE}&groupBy=country&orderBy=label&order=asc`);
    expect(tableRows(byName.html, "report").map((r) => r[0])).toEqual(["Germany", "Poland", "United States"]);
  });

  it("limit cuts the rows but not the totals", async () => {
    const { html } = await page(`${RANGE}&groupBy=country&limit=1`);
    expect(tableRows(html, "report")).toHaveLength(1);
    expect(totalsRow(html, "Visits", "Conversions")).toEqual(["Total", "39", "5"]);
  });
});

describe("every dimension and filter, bad input, CSV", () => {
  it("grouping by device and filtering by country answer with the API's numbers, on the page and as CSV", async () => {
    await writeLater(a, [{ deviceType: "mobile" }, { deviceType: "mobile" }, { deviceType: "desktop" }]);
    const device = await page(`${LATER}&groupBy=device&campaignId=${a}`);
    expect(device.status).toBe(200);
    expect(device.html).not.toContain("not available yet");
    expect(pick(device.html, "Visits")).toEqual([
      ["mobile", "2"],
      ["desktop", "1"],
    ]);
    const apiDevices = await getJson(`/report?${LATER}&groupBy=device&campaignId=${a}`);
    expect(apiDevices.rows.map((r: any) => [r.label, String(r.visits)])).toEqual(pick(device.html, "Visits"));
    const deviceCsv = await adminPage(`/admin/report/csv?${LATER}&groupBy=device&campaignId=${a}`, cookie);
    expect(deviceCsv.status).toBe(200);
    expect(deviceCsv.html.split("\r\n").map((line) => line.split(",").slice(1, 3))).toEqual([
      ["label", "visits"],
      ["mobile", "2"],
      ["desktop", "1"],
      [],
    ]);

    const poland = await page(`${RANGE}&groupBy=day&country=PL`);
    expect(poland.status).toBe(200);
    expect(crumbs(poland.html)).toContain("Country: Poland");
    expect(pick(poland.html, "Visits", "Conversions")).toEqual([
      ["2026-08-01", "10", "3"],
      ["2026-08-02", "4", "1"],
      ["2026-08-03", "0", "0"],
    ]);
    // No visit in the range lacks a country: the (none) level is empty, not an error.
    const none = await page(`${RANGE}&groupBy=day&country=`);
    expect(none.status).toBe(200);
    expect(crumbs(none.html)).toContain("Country: (none)");
    expect(totalsRow(none.html, "Visits", "Conversions")).toEqual(["Total", "0", "0"]);
  });

  it("bad parameters are named on the page with 400", async () => {
    for (const [query, field] of [
      ["orderBy=bogus", "orderBy"],
      ["limit=0", "limit"],
      ["hour=24", "hour"],
      ["groupBy=week", "Group by"],
      ["campaignId=x", "Campaign"],
    ]) {
      const { status, html } = await page(`${RANGE}&${query}`);
      expect(status, query).toBe(400);
      expect(html, query).toContain(`${field}:`);
    }
  });

  it("downloads the current view as CSV: the API's fields, formulas neutralised", async () => {
    const query = `${RANGE}&groupBy=campaign&orderBy=profit&order=asc`;
    const { html } = await page(query);
    const href = hrefs(html).find((h) => h.startsWith("/admin/report/csv?"))!;
    expect(href).toBe(`/admin/report/csv?${query.replace(/\//g, "%2F")}`);
    const csv = await adminPage(href, cookie);
    expect(csv.status).toBe(200);
    expect(csv.res.headers.get("content-disposition")).toBe(
      'attachment; filename="report-campaign-2026-08-01-2026-08-03.csv"',
    );
    expect(csv.html.split("\r\n")).toEqual([
      "key,label,visits,clicks,conversions,pending,revenue,pendingRevenue,cost,profit,cr,ctr,epc,roi",
      `${b},'=HYPERLINK(1),20,0,1,0,0.5,0,0.2,0.3,0.05,0,0.025,1.5`,
      `${a},"Push <b>PL</b> & ""co""",19,0,4,0,5,0,0.38,4.62,0.210526,0,0.263158,12.157895`,
      "",
    ]);
    const fromApi = await getJson(`/report?${RANGE}&groupBy=campaign`);
    expect(fromApi.rows.find((r: any) => r.key === a)).toMatchObject({ revenue: 5, cost: 0.38, roi: 12.157895 });
  });
});
