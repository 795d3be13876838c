import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, BASE, call, setupCampaign } from "./helpers";
import { getJson, insertConversions, insertVisits } from "./report-helpers";

// The report and conversions pages through the worker's fetch handler, with a session cookie.
let cookie = "";
let clickIds: string[] = [];
let campaignId = 0;
const range = "from=2026-08-01&to=2026-08-02&tz=America%2FNew_York";

beforeAll(async () => {
  const res = await call("/admin/login", {
    method: "POST",
    headers: { Origin: BASE },
    body: new URLSearchParams({ token: env.ADMIN_TOKEN }),
  });
  cookie = /ct_admin=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
  const { campaign, offer } = await setupCampaign({ name: "Shop <b>" }, { name: "Push <script>x</script>" });
  campaignId = campaign.id;
  clickIds = await insertVisits(120, {
    campaignId,
    offerId: offer.id,
    at: "2026-08-01T15:00:00Z",
    country: "PL",
    costMicros: 20_000,
  });
  await insertConversions(
    clickIds.map((clickId, i) => ({
      campaignId,
      offerId: offer.id,
      clickId,
      at: Date.parse("2026-08-01T16:00:00Z") + i * 1000,
      payoutMicros: 1_010_000,
    })),
  );
});

const page = async (path: string) => {
  const res = await call(path, { headers: { Cookie: cookie } });
  return { status: res.status, html: await res.text(), res };
};
const cells = (html: string, id: string) =>
  [...(html.split(`id="${id}"`)[1] ?? "").matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((m) =>
    m[1]!.replace(/<[^>]+>/g, ""),
  );

describe("admin report page", () => {
  it("shows the API's numbers for the chosen range, zone and grouping", async () => {
    const json = await getJson(`/report?${range}&groupBy=campaign`);
    const { status, html } = await page(`/admin/report?${range}&groupBy=campaign`);
    expect(status).toBe(200);
    expect(html).toContain('value="2026-08-01"');
    expect(html).toContain('<option value="America/New_York" selected="">');
    const row = json.rows[0];
    const shown = cells(html, "report");
    expect(shown).toEqual(
      expect.arrayContaining(["Push &lt;script&gt;x&lt;/script&gt;", String(row.visits), "$121.20", "$2.40"]),
    );
    expect(row).toMatchObject({ visits: 120, conversions: 120, revenue: 121.2, cost: 2.4 });
    expect(html).not.toContain("<script>x</script>");
  });

  it("filters by the campaign in the URL, named in the breadcrumbs", async () => {
    // The totals row's first cell and its cell under "Visits" (the table has as many columns as the engine answers).
    const totalVisits = (html: string) => {
      const all = cells(html, "report");
      const width = all.length - all.lastIndexOf("Total");
      return [
        all[all.length - width],
        all[all.length - width + all.slice(0, width).findIndex((c) => c.replace(/[▲▼]/g, "").trim() === "Visits")],
      ];
    };
    const mine = await page(`/admin/report?${range}&groupBy=day&campaignId=${campaignId}`);
    expect(mine.html).toContain("Campaign: Push &lt;script&gt;x&lt;/script&gt;</span>");
    expect(totalVisits(mine.html)).toEqual(["Total", "120"]);
    const other = await page(`/admin/report?${range}&groupBy=campaign&campaignId=${campaignId + 1000}`);
    expect(other.html).toContain("No visits or conversions in this range.");
    expect(totalVisits(other.html)).toEqual(["Total", "0"]);
  });

  it("shows bad parameters as errors on the page with 400", async () => {
    const { status, html } = await page("/admin/report?from=2026-08-05&to=2026-08-01&tz=Nowhere%2FLand&groupBy=week");
    expect(status).toBe(400);
    expect(html).toContain("Time zone: must be an IANA time zone");
    expect(html).toContain("Group by:");
    const order = await page("/admin/report?from=2026-08-05&to=2026-08-01");
    expect(order.status).toBe(400);
    expect(order.html).toContain("To: must not be before from");
  });
});

describe("admin conversions page", () => {
  it("lists a page of conversions with the Click ID column and links the next page", async () => {
    const first = await page(`/admin/conversions?${range}&campaignId=${campaignId}`);
    expect(first.status).toBe(200);
    expect(first.html).toContain("<th>Click ID</th>");
    const shown = clickIds.filter((id) => first.html.includes(id));
    expect(shown).toHaveLength(100);
    const next = /href="(\/admin\/conversions\?[^"]*cursor=[^"]+)"/.exec(first.html)![1]!.replace(/&amp;/g, "&");
    const second = await page(next);
    const rest = clickIds.filter((id) => second.html.includes(id));
    expect(rest).toHaveLength(20);
    expect(new Set([...shown, ...rest]).size).toBe(120);
    // New York local times (UTC-4 in August).
    expect(first.html).toContain("2026-08-01 12:01:59");
  });

  it("downloads the same CSV as the API, with the session instead of a token", async () => {
    const first = await page(`/admin/conversions?${range}`);
    const href = /href="(\/admin\/conversions\/csv\?[^"]+)"/.exec(first.html)![1]!.replace(/&amp;/g, "&");
    const download = await page(href);
    expect(download.status).toBe(200);
    expect(download.res.headers.get("content-disposition")).toContain("attachment");
    const fromApi = await (await api("GET", `/conversions?${range}&format=csv`)).text();
    expect(download.html).toBe(fromApi);
    expect(download.html.split("\r\n")).toHaveLength(122); // header, 120 rows, final newline
    expect((await call(href)).status).not.toBe(200); // no session, no download
  });
});
