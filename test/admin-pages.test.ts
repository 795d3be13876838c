import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_UPLOAD_LINES } from "../src/features/upload/parse";
import { api, BASE, call, click, createOffer, setupCampaign } from "./helpers";

// The admin pages driven through the worker's fetch handler, as a browser would post its forms.
let cookie = "";
beforeAll(async () => {
  const res = await call("/admin/login", {
    method: "POST",
    headers: { Origin: BASE },
    body: new URLSearchParams({ token: env.ADMIN_TOKEN }),
  });
  cookie = /ct_admin=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
});

const get = (path: string) => call(path, { headers: { Cookie: cookie } });
const post = (path: string, fields: Record<string, string>) =>
  call(path, { method: "POST", headers: { Cookie: cookie, Origin: BASE }, body: new URLSearchParams(fields) });

const conversionsOf = (clickId: string) =>
  env.DB.prepare("SELECT count(*) AS n FROM conversions WHERE click_id = ?")
    .bind(clickId)
    .first<{ n: number }>()
    .then((r) => r!.n);

describe("admin forms", () => {
  it("an offer created through the form is the offer the API returns", async () => {
    const res = await post("/admin/offers", {
      name: "Form offer",
      url: "https://shop.example/?c={clickid}",
      payoutMode: "manual",
      amount: "1.25",
    });
    expect(res.status).toBe(303);
    const { offers } = await (await api("GET", "/offers")).json<any>();
    expect(offers.find((o: any) => o.name === "Form offer")).toMatchObject({
      url: "https://shop.example/?c={clickid}",
      payout: { mode: "manual", amount: 1.25 },
    });
  });

  it("shows every invalid field on the page with 400, and creates nothing", async () => {
    const res = await post("/admin/offers", {
      name: " ",
      url: "javascript:alert(1)",
      payoutMode: "manual",
      amount: "1e3",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Name: is required");
    expect(html).toContain("URL: must be an absolute http:// or https:// URL");
    expect(html).toContain("Amount: must be a decimal number with at most 6 decimal places");
    const { offers } = await (await api("GET", "/offers")).json<any>();
    expect(offers.some((o: any) => o.url.startsWith("javascript"))).toBe(false);
  });

  it("a campaign needs a weighted, existing, live offer", async () => {
    const offer = await createOffer({ name: "Live" });
    const archived = await createOffer({ name: "Gone" });
    await api("DELETE", `/offers/${archived.id}`);
    const cases: [Record<string, string>, string][] = [
      [{ name: "No offers" }, "Offers: give at least one offer a weight"],
      [{ name: "All zero", [`weight_${offer.id}`]: "0" }, "at least one offer needs a weight above 0"],
      [{ name: "Too heavy", [`weight_${offer.id}`]: "10001" }, "weights are at most 10000"],
      [{ name: "Archived", [`weight_${archived.id}`]: "5" }, `offer ${archived.id} does not exist or is archived`],
      [
        { name: "Bad cost", [`weight_${offer.id}`]: "5", costType: "cpc", costValue: "-1" },
        "Cost amount: must not be negative",
      ],
      [
        { name: "Odd cost", [`weight_${offer.id}`]: "5", costType: "cpc", costValue: "abc" },
        "Cost amount: must be a decimal number",
      ],
      [
        { name: "Big share", [`weight_${offer.id}`]: "5", costType: "revshare", costValue: "120" },
        "Revenue share (%): must be at most 100",
      ],
    ];
    for (const [fields, message] of cases) {
      const res = await post("/admin/campaigns", fields);
      expect(res.status, fields.name).toBe(400);
      expect(await res.text(), fields.name).toContain(message);
    }
    expect(
      (
        await post("/admin/campaigns", {
          name: "Good",
          [`weight_${offer.id}`]: "7",
          costType: "cpc",
          costValue: "0.05",
        })
      ).status,
    ).toBe(303);
    const { campaigns } = await (await api("GET", "/campaigns")).json<any>();
    expect(campaigns.map((c: any) => c.name)).toEqual(["Good"]);
    expect(campaigns[0]).toMatchObject({
      offers: [{ offerId: offer.id, weight: 7 }],
      costModel: { type: "cpc", amount: 0.05 },
      costPerClick: 0.05,
    });
    // The edit form shows the model and saves another.
    const edit = await (await get(`/admin/campaigns/${campaigns[0].id}`)).text();
    expect(edit).toMatch(/<option value="cpc" selected/);
    expect(edit).toContain('name="costValue" value="0.05"');
    const saved = await post(`/admin/campaigns/${campaigns[0].id}`, {
      name: "Good",
      [`weight_${offer.id}`]: "7",
      costType: "revshare",
      costValue: "37.5",
    });
    expect(saved.status).toBe(303);
    expect((await (await api("GET", `/campaigns/${campaigns[0].id}`)).json<any>()).costModel).toEqual({
      type: "revshare",
      percent: 37.5,
    });
  });

  it("a taken conversion type name is refused with 409 on the page", async () => {
    expect((await post("/admin/conversion-types", { name: "lead" })).status).toBe(303);
    const again = await post("/admin/conversion-types", { name: "lead", includeInConversions: "on" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("a conversion type named &quot;lead&quot; already exists");
  });

  it("settings: invalid values are refused by name; valid ones are what GET /api/settings returns", async () => {
    const bad = await post("/admin/settings", {
      postbackSecret: "",
      postbackAllowedIps: "10.0.0.0/33",
      timezone: "Mars/Olympus",
      statusMap: "reg = pending\nlead = rejected",
      currency: "XYZ",
      currencyRates: "EUR = -1",
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("Allowed IPs: &quot;10.0.0.0/33&quot; is not an IPv4 or IPv6 address or CIDR range");
    expect(html).toContain("Time zone: must be an IANA time zone");
    expect(html).toContain("Status words: &quot;lead&quot; already means pending");
    expect(html).toContain("Account currency: must be an ISO 4217 currency code");
    expect(html).toContain("Exchange rates: must be a positive decimal");
    const ok = await post("/admin/settings", {
      postbackSecret: " s3 ",
      postbackAllowedIps: "203.0.113.0/24, 2001:db8::1",
      timezone: "Europe/Berlin",
      statusMap: "Reg = pending\n\nbilled: approved",
      currency: "eur",
      currencyRates: "usd = 0.925\nGBP=1.17",
    });
    expect(ok.status).toBe(303);
    expect(await (await api("GET", "/settings")).json()).toEqual({
      postbackSecret: "s3",
      postbackAllowedIps: ["203.0.113.0/24", "2001:db8::1/128"],
      timezone: "Europe/Berlin",
      statusMap: { reg: "pending", billed: "approved" },
      currency: "EUR",
      currencyRates: { USD: 0.925, GBP: 1.17 },
      visitRetentionDays: 90,
    });
    // The form shows them back one per line; the account currency cannot have a rate of its own.
    const page = await (await get("/admin/settings")).text();
    expect(page).toContain("reg = pending\nbilled = approved");
    expect(page).toContain("USD = 0.925\nGBP = 1.17");
    const own = await post("/admin/settings", { timezone: "UTC", currency: "EUR", currencyRates: "EUR = 1" });
    expect(own.status).toBe(400);
    expect(await own.text()).toContain("EUR is the account currency");
  });

  it("unknown pages and objects answer a 404 page", async () => {
    for (const path of ["/admin/nope", "/admin/offers/999999", "/admin/campaigns/abc"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toMatch(/text\/html/);
    }
  });
});

describe("upload pages", () => {
  it("Save runs a dry run (nothing registered); Yes registers; the result lists what was not accepted", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const text = `${clickId},4\r\n${clickId},4\r\n${clickId},x`;
    const check = await post("/admin/upload/check", { text });
    expect(check.status).toBe(200);
    const confirm = await check.text();
    expect(confirm).toContain("2 lines will be uploaded.");
    expect(confirm).toContain("Yes, upload conversions");
    expect(await conversionsOf(clickId)).toBe(0);

    const result = await (await post("/admin/upload/confirm", { text })).text();
    expect(result.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ")).toContain("3 lines 1 accepted 1 duplicate 1 rejected");
    expect(await conversionsOf(clickId)).toBe(1);
  });

  it("no Yes button when no line is valid; over 100,000 lines is refused with 413 and nothing registered", async () => {
    const none = await (await post("/admin/upload/check", { text: "garbage" })).text();
    expect(none).toContain("0 lines will be uploaded.");
    expect(none).not.toContain("Yes, upload conversions");

    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const res = await post("/admin/upload/confirm", { text: `${clickId}\n` + "x\n".repeat(MAX_UPLOAD_LINES) });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("at most 100,000 lines");
    expect(await conversionsOf(clickId)).toBe(0);
  });
});

describe("campaign edit page", () => {
  it("warns that an archived offer leaves the rotation on save, and saving keeps only live offers", async () => {
    const live = await createOffer({ name: "Live offer" });
    const { offer: old, campaign } = await setupCampaign({ name: "Old offer" });
    await api("PATCH", `/campaigns/${campaign.id}`, {
      offers: [
        { offerId: old.id, weight: 1 },
        { offerId: live.id, weight: 3 },
      ],
    });
    await api("DELETE", `/offers/${old.id}`);
    const page = await (await get(`/admin/campaigns/${campaign.id}`)).text();
    expect(page).toContain(`Archived offer ${old.id} will leave the rotation when you save.`);
    expect(
      (await post(`/admin/campaigns/${campaign.id}`, { name: "Renamed", [`weight_${live.id}`]: "3" })).status,
    ).toBe(303);
    expect(await (await api("GET", `/campaigns/${campaign.id}`)).json()).toMatchObject({
      name: "Renamed",
      offers: [{ offerId: live.id, weight: 3 }],
    });
  });
});
