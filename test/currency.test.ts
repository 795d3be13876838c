import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyClickId } from "../src/lib/clickid";
import { convertMicros, formatRate, parseRate } from "../src/lib/money";
import { getVisit } from "../src/visits/queries";
import { ADMIN, adminSession, api, call, click, eventually, pageErrors, setupCampaign } from "./helpers";
import { getJson } from "./report-helpers";

// docs/conversions.md: payouts in other currencies, converted to the account currency at the rate in force
// when they arrive, kept with the amount and currency as sent.

async function postback(query: string) {
  const res = await call(`/postback?${query}`);
  return { status: res.status, body: (await res.json()) as { status?: string; error?: string } };
}

async function patch(body: unknown) {
  const res = await api("PATCH", "/settings", body);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const row = (clickId: string) =>
  env.DB.prepare("SELECT payout_micros, currency, original_payout_micros FROM conversions WHERE click_id = ?")
    .bind(clickId)
    .first<Record<string, any>>();

describe("exact conversion (lib/money.ts)", () => {
  it("parses rates exactly and rounds half to even at the micro-unit", () => {
    expect(parseRate("1.08")).toBe(10_800_000_000n);
    expect(parseRate(1.08)).toBe(10_800_000_000n);
    expect(formatRate(parseRate("0.0000000001")!)).toBe("0.0000000001");
    for (const bad of ["0", "-1", "1e3", "abc", "1.00000000001", "1000001", ""]) expect(parseRate(bad), bad).toBeNull();
    const rate = (r: string) => parseRate(r)!;
    expect(convertMicros(1_000_000, rate("1.08"))).toBe(1_080_000);
    // 0.0000005 exactly: ties go to the even micro-unit, up and down alike.
    expect(convertMicros(1, rate("0.5"))).toBe(0);
    expect(convertMicros(3, rate("0.5"))).toBe(2);
    expect(convertMicros(-3, rate("0.5"))).toBe(-2);
    expect(convertMicros(5, rate("0.3"))).toBe(2); // 1.5 -> 2
    expect(convertMicros(7, rate("0.5"))).toBe(4); // 3.5 -> 4
    expect(convertMicros(1, rate("0.5000000001"))).toBe(1); // just above the tie
    // 0.1 + 0.2 done in floats would drift; these stay exact.
    expect(convertMicros(123_456_789, rate("1.1"))).toBe(135_802_468); // 135.8024679 -> .468
    expect(convertMicros(1_000_000_000_000_000, rate("2"))).toBeNull(); // beyond ±1e9 units
  });
});

describe("currencies", () => {
  it("settings: ISO 4217 account currency and rates, refused by name otherwise", async () => {
    expect((await patch({ currency: "eur", currencyRates: { usd: 0.92, GBP: "1.17" } })).body).toMatchObject({
      currency: "EUR",
      currencyRates: { USD: 0.92, GBP: 1.17 },
    });
    for (const [body, error] of [
      [{ currency: "EURO" }, /^Invalid json: currency: must be an ISO 4217/],
      [{ currency: "XYZ" }, /currency: must be an ISO 4217/],
      [{ currencyRates: { XYZ: 1 } }, /currencyRates\.XYZ: is not an ISO 4217/],
      [{ currencyRates: { USD: 0 } }, /currencyRates\.USD: must be a positive decimal/],
      [{ currencyRates: { USD: -1 } }, /currencyRates\.USD: must be a positive decimal/],
      [{ currencyRates: { USD: "1,1" } }, /currencyRates\.USD: must be a positive decimal/],
      [{ currencyRates: { EUR: 1 } }, /^currencyRates\.EUR: EUR is the account currency/],
      [{ currency: "USD" }, /^currencyRates\.USD: USD is the account currency/],
    ] as const) {
      const res = await patch(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toMatch(error);
    }
    expect((await patch({ currency: "USD", currencyRates: { EUR: 1.08 } })).status).toBe(200);
  });

  it("a EUR payout reports in the account currency; the original amount and currency are kept", async () => {
    expect((await patch({ currency: "USD", currencyRates: { EUR: 1.08, JPY: "0.0067" } })).status).toBe(200);
    const { campaign } = await setupCampaign();
    const [a, b, c, d] = await Promise.all(Array.from({ length: 4 }, () => click(campaign.id).then((x) => x.clickId)));
    // Visits reach D1 through the queue and conversions wait for theirs: post back once they are stored.
    for (const id of [a!, b!, c!, d!]) {
      const { visitTime } = (await verifyClickId(env.CLICKID_SECRET, id))!;
      await eventually(() => getVisit(env.DB, id, visitTime), Boolean);
    }
    expect((await postback(`cid=${a}&payout=10&currency=EUR`)).body.status).toBe("accepted");
    expect((await postback(`cid=${b}&payout=1500&currency=jpy`)).body.status).toBe("accepted");
    expect((await postback(`cid=${c}&payout=2.5`)).body.status).toBe("accepted");
    expect(await row(a!)).toEqual({ payout_micros: 10_800_000, currency: "EUR", original_payout_micros: 10_000_000 });
    expect(await row(b!)).toEqual({
      payout_micros: 10_050_000,
      currency: "JPY",
      original_payout_micros: 1_500_000_000,
    });
    expect(await row(c!)).toEqual({ payout_micros: 2_500_000, currency: "USD", original_payout_micros: 2_500_000 });
    const report = await getJson(`/report?campaignId=${campaign.id}`);
    expect(report.totals).toMatchObject({ conversions: 3, revenue: 23.35 });
    const list = await getJson(`/conversions?campaignId=${campaign.id}`);
    expect(list.conversions.find((x: any) => x.clickId === a)).toMatchObject({
      payout: 10.8,
      currency: "EUR",
      originalPayout: 10,
    });
    // The rate in force on arrival: a later change does not touch what was stored.
    await patch({ currencyRates: { EUR: 2 } });
    expect((await row(a!))!.payout_micros).toBe(10_800_000);
    expect((await postback(`cid=${d}&payout=10&currency=EUR`)).body.status).toBe("accepted");
    expect((await row(d!))!.payout_micros).toBe(20_000_000);
  });

  it("an unknown currency or one without a rate is a 400 naming currency; nothing is stored", async () => {
    await patch({ currency: "USD", currencyRates: {} });
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    expect(await postback(`cid=${clickId}&payout=1&currency=XYZ`)).toMatchObject({
      status: 400,
      body: { error: 'currency: "XYZ" is not an ISO 4217 currency code' },
    });
    expect(await postback(`cid=${clickId}&payout=1&currency=GBP`)).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^currency: no exchange rate for GBP into USD/) },
    });
    expect(await row(clickId)).toBeNull();
  });

  it("the upload's seventh field is the currency; a manual offer's amount is in the account currency already", async () => {
    await patch({ currency: "USD", currencyRates: { EUR: 1.08 } });
    const { campaign } = await setupCampaign();
    const [a, b] = await Promise.all([click(campaign.id), click(campaign.id)]).then((x) => x.map((y) => y.clickId));
    const res = await call("/api/conversions/upload", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "text/plain" },
      body: `${a},-5,,,,,EUR\n${b},1,,,,,ZZZ`,
    });
    const body = await res.json<any>();
    expect(body.summary).toMatchObject({ accepted: 1, rejected: 1 });
    expect(body.lines[0].error).toMatch(/^currency: "ZZZ" is not an ISO 4217/);
    expect(await row(a!)).toEqual({ payout_micros: -5_400_000, currency: "EUR", original_payout_micros: -5_000_000 });

    const manual = await setupCampaign({ payout: { mode: "manual", amount: 3 } });
    const { clickId } = await click(manual.campaign.id);
    expect((await postback(`cid=${clickId}&payout=100&currency=EUR`)).body.status).toBe("accepted");
    expect(await row(clickId)).toEqual({
      payout_micros: 3_000_000,
      currency: "USD",
      original_payout_micros: 3_000_000,
    });
  });
});

describe("one rule, two doors: the status and currency settings through the API and the form", () => {
  it("refuse the same values with the same messages and store the same normalized values", async () => {
    const admin = await adminSession();
    await patch({ currency: "USD", currencyRates: {}, statusMap: {} });
    const FORM = { postbackSecret: "", postbackAllowedIps: "", timezone: "UTC" };
    const cases: [Record<string, unknown>, Record<string, string>, string][] = [
      [{ currency: "XYZ" }, { currency: "XYZ" }, "Account currency"],
      [{ currencyRates: { EUR: -1 } }, { currencyRates: "EUR = -1" }, "Exchange rates"],
      [{ currencyRates: { ABC: 1 } }, { currencyRates: "ABC: 1" }, "Exchange rates"],
      [{ statusMap: { lead: "approved" } }, { statusMap: "lead = approved" }, "Status words"],
      [{ statusMap: { reg: "paid" } }, { statusMap: "reg = paid" }, "Status words"],
    ];
    for (const [body, form, label] of cases) {
      const res = await api("PATCH", "/settings", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const { issues } = await res.json<{ issues: { message: string }[] }>();
      const page = await admin.post("/admin/settings", { ...FORM, ...form });
      expect(page.status, JSON.stringify(form)).toBe(400);
      expect(pageErrors(await page.text())).toEqual(issues.map((i) => `${label}: ${i.message}`));
    }
    const saved = await admin.post("/admin/settings", {
      ...FORM,
      currency: " eur ",
      currencyRates: "usd = 0.9259\nGBP: 1.17",
      statusMap: "Reg = pending",
    });
    expect(saved.status).toBe(303);
    const viaForm = await (await api("GET", "/settings")).json();
    expect(viaForm).toMatchObject({
      currency: "EUR",
      currencyRates: { USD: 0.9259, GBP: 1.17 },
      statusMap: { reg: "pending" },
    });
    expect(
      (await patch({ currency: " eur ", currencyRates: { usd: "0.9259", GBP: 1.17 }, statusMap: { Reg: "pending" } }))
        .body,
    ).toEqual(viaForm);
    await patch({ currency: "USD", currencyRates: {}, statusMap: {} });
  });
});
