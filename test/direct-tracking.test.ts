import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyClickId } from "../src/lib/clickid";
import { api, call, created, createOffer, createTrafficSource, eventually, setupCampaign } from "./helpers";
import { daysSince, report } from "./report-helpers";

const PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1";
const DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36";
const PAGE = "https://shop.example/landing";

const beacon = (params: Record<string, string | number>, headers: Record<string, string> = {}) =>
  call(`/dt/visit?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`, {
    headers: { origin: "https://shop.example", ...headers },
  });
const lookup = (clickId: string) =>
  eventually(
    async () => {
      const res = await api("GET", `/visits/${clickId}`);
      return { status: res.status, body: (await res.json()) as any };
    },
    (r) => r.status === 200,
  );

/** Offers First and Second; phones go to lander Quiz (path Quiz), the rest to lander Plain. */
async function flowCampaign() {
  const first = await createOffer({ name: "First", url: "https://first.example/?cid={clickid}&g={gclid}&v={var1}" });
  const second = await createOffer({ name: "Second", url: "https://second.example/?cid={clickid}" });
  const lander = (name: string) =>
    created(api("POST", "/landers", { name, url: `https://shop.example/${name}`, offerCount: 1 }));
  const quiz = await lander("Quiz");
  const plain = await lander("Plain");
  const stray = await lander("Stray");
  const campaign = await created(
    api("POST", "/campaigns", {
      name: "Direct",
      costModel: { type: "cpc", amount: 0.05 },
      flow: {
        rules: [
          {
            name: "Phones",
            conditions: [{ field: "device", op: "in", values: ["mobile"] }],
            paths: [{ name: "Quiz", landers: [{ landerId: quiz.id }], offers: [{ offerId: first.id }] }],
          },
        ],
        defaultPaths: [{ name: "Plain", landers: [{ landerId: plain.id }], offers: [{ offerId: second.id }] }],
      },
    }),
  );
  return { first, second, quiz, plain, stray, campaign };
}

describe("GET /dt.js", () => {
  it("is cacheable JavaScript for any origin, under 4 KB gzipped, loading nothing else", async () => {
    const res = await call("/dt.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const cache = res.headers.get("cache-control")!;
    expect(cache).toMatch(/\bpublic\b/);
    expect(Number(/max-age=(\d+)/.exec(cache)![1])).toBeGreaterThanOrEqual(3600);
    expect(res.headers.get("etag")).toBeTruthy();
    const text = await res.text();
    const gzipped = await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"))).bytes();
    expect(gzipped.byteLength).toBeLessThanOrEqual(4096);
    // No dependency: no import, no other script, no URL of another host.
    expect(text).not.toMatch(/\bimport\b|createElement\(["']script|https?:\/\//);
    expect(text).toContain("/dt/visit?");

    const again = await call("/dt.js", { headers: { "if-none-match": res.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });
});

describe("GET /dt/visit", () => {
  it("records the visit as GET /c/:id would: source parameters, cost model, click IDs, referrer", async () => {
    const source = await createTrafficSource();
    const { campaign, offer } = await setupCampaign(
      { url: "https://offer.example/?cid={clickid}&f={fbclid}&t={ttclid}" },
      { trafficSourceId: source.id, costModel: { type: "auto", amount: 0.01 } },
    );
    const url = `${PAGE}?clickid=ext-7&zone=z9&cost=0.003&fbclid=FB1&ttclid=TT1&gclid=`;
    const res = await beacon(
      { campaign: campaign.id, url, referrer: "https://m.facebook.com/story", fbp: "fb.1.2.3", fbc: "fb.1.2.FB1" },
      { "user-agent": PHONE, "cf-connecting-ip": "198.51.100.4" },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("set-cookie")).toBeNull();
    const body = (await res.json()) as any;
    expect(body).toEqual({ clickId: expect.any(String), campaignId: campaign.id, landerId: null });
    expect(await verifyClickId(env.CLICKID_SECRET, body.clickId)).toMatchObject({ campaignId: campaign.id });

    const { body: found } = await lookup(body.clickId);
    expect(found.visit).toMatchObject({
      campaignId: campaign.id,
      offerId: offer.id,
      trafficSourceId: source.id,
      externalId: "ext-7",
      var1: "z9",
      cost: 0.003,
      referrerDomain: "m.facebook.com",
      device: "mobile",
      ip: "198.51.100.4",
      userAgent: PHONE,
      fbclid: "FB1",
      ttclid: "TT1",
      gclid: null,
      fbp: "fb.1.2.3",
      fbc: "fb.1.2.FB1",
    });
    const { rows } = await eventually(
      () => report({ ...daysSince(), tz: "UTC", groupBy: "referrerDomain" }),
      (r) => r.rows.length > 0,
    );
    expect(rows).toEqual([expect.objectContaining({ key: "m.facebook.com", visits: 1, cost: 0.003 })]);
  });

  it("applies the flow's rules; the lander given is the visit's lander; /click fills the tokens", async () => {
    const { campaign, quiz, plain, first, stray } = await flowCampaign();
    const phone = await beacon(
      { campaign: campaign.id, lander: quiz.id, url: `${PAGE}?var1=a&gclid=G1`, referrer: "" },
      { "user-agent": PHONE },
    );
    const p = (await phone.json()) as any;
    expect(p).toMatchObject({ campaignId: campaign.id, landerId: quiz.id });
    const quizPath = campaign.flow.rules[0].paths[0];
    expect(await verifyClickId(env.CLICKID_SECRET, p.clickId)).toMatchObject({
      landerId: quiz.id,
      pathId: quizPath.id,
      offerId: 0,
    });
    const { body } = await lookup(p.clickId);
    expect(body.visit).toMatchObject({ landerId: quiz.id, pathId: quizPath.id, ruleId: campaign.flow.rules[0].id });
    expect(body.visit).toMatchObject({ offerId: null, cost: 0.05, referrerDomain: null, gclid: "G1" });
    // No cookie (the beacon sets none): /click reads the stored visit for its tokens.
    const onward = await call(`/click?cid=${p.clickId}`);
    expect(onward.headers.get("location")).toBe(`https://first.example/?cid=${p.clickId}&g=G1&v=a`);

    // Without data-lander the desktop visit records the lander its path chose.
    const desktop = (await (
      await beacon({ campaign: campaign.id, url: PAGE }, { "user-agent": DESKTOP })
    ).json()) as any;
    expect(desktop.landerId).toBe(plain.id);
    const expected = [
      { key: quiz.id, label: "Quiz", visits: 1, clicks: 1, cost: 0.05 },
      { key: plain.id, label: "Plain", visits: 1, clicks: 0, cost: 0.05 },
    ];
    const matches = (rows: any[]) =>
      rows.length === 2 && expected.every((e) => rows.some((r) => Object.entries(e).every(([k, v]) => r[k] === v)));
    const { rows } = await eventually(
      () => report({ ...daysSince(), tz: "UTC", groupBy: "lander" }),
      (r) => matches(r.rows),
      15_000,
    );
    expect(rows).toEqual(expect.arrayContaining(expected.map((e) => expect.objectContaining(e))));
    expect(stray.id).not.toBe(first.id);
  });

  it("404 JSON, readable by any origin, for an unknown or archived campaign or a lander not in it", async () => {
    const { campaign, stray } = await flowCampaign();
    const { campaign: plainCampaign } = await setupCampaign();
    const { campaign: archived } = await setupCampaign();
    expect((await api("PATCH", `/campaigns/${archived.id}`, { archived: true })).status).toBe(200);
    const cases: Record<string, number>[] = [
      { campaign: 999_999 },
      { campaign: archived.id },
      { campaign: campaign.id, lander: stray.id },
      { campaign: plainCampaign.id, lander: stray.id },
    ];
    for (const params of cases.map((p) => ({ ...p, url: PAGE }))) {
      const res = await beacon(params);
      expect(res.status, JSON.stringify(params)).toBe(404);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(await res.json()).toMatchObject({ code: "not_found" });
    }
  });

  it("400 naming the field for a malformed request", async () => {
    const { campaign } = await setupCampaign();
    const cases: [Record<string, string | number>, string][] = [
      [{ url: PAGE }, "campaign"],
      [{ campaign: "7x", url: PAGE }, "campaign"],
      [{ campaign: campaign.id }, "url"],
      [{ campaign: campaign.id, url: "javascript:alert(1)" }, "url"],
      [{ campaign: campaign.id, url: PAGE, referrer: "not a url" }, "referrer"],
      [{ campaign: campaign.id, url: PAGE, lander: "x" }, "lander"],
      [{ campaign: campaign.id, url: PAGE, extra: "1" }, "extra"],
    ];
    for (const [params, field] of cases) {
      const res = await beacon(params);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(JSON.stringify(await res.json())).toContain(field);
    }
  });

  it("a repeated parameter is a 400; HEAD answers without a body; the preflight is answered", async () => {
    const { campaign } = await setupCampaign();
    const query = `campaign=${campaign.id}&url=${encodeURIComponent(PAGE)}`;
    const twice = await call(`/dt/visit?${query}&campaign=${campaign.id}`);
    expect(twice.status).toBe(400);
    expect(twice.headers.get("access-control-allow-origin")).toBe("*");
    expect(await twice.json()).toMatchObject({ code: "invalid_parameter", requestId: expect.any(String) });
    // A parameter named after Object's own properties is a parameter like any other: not allowed.
    const proto = await call(`/dt/visit?${query}&__proto__=1`);
    expect(proto.status).toBe(400);
    expect(JSON.stringify(await proto.json())).toContain("__proto__");
    const head = await call(`/dt/visit?${query}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const preflight = await call("/dt/visit", {
      method: "OPTIONS",
      headers: { origin: "https://shop.example", "access-control-request-method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("GET /dt/visit.gif", () => {
  it("records the visit from the Referer, answers a GIF and sets the tracker's cookie for /click", async () => {
    const { campaign, quiz } = await flowCampaign();
    const res = await call(`/dt/visit.gif?campaign=${campaign.id}&lander=${quiz.id}`, {
      headers: { referer: `${PAGE}?var1=img&msclkid=MS1&gclid=G2`, "user-agent": PHONE },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/gif");
    expect(new TextDecoder().decode((await res.bytes()).slice(0, 6))).toBe("GIF89a");
    const cookies = res.headers.getSetCookie();
    const clickId = /ct_cid=([A-Za-z0-9_-]{32})/.exec(cookies.join("\n"))![1]!;
    const { body } = await lookup(clickId);
    expect(body.visit).toMatchObject({
      landerId: quiz.id,
      var1: "img",
      msclkid: "MS1",
      referrerDomain: "shop.example",
    });

    const cookie = cookies.map((c) => c.split(";")[0]).join("; ");
    const onward = await call("/click", { headers: { cookie } });
    expect(onward.headers.get("location")).toBe(`https://first.example/?cid=${clickId}&g=G2&v=img`);
  });

  it("an unknown campaign or a malformed request: still a GIF, no cookie, no visit", async () => {
    for (const [query, status] of [
      ["campaign=999999", 404],
      ["campaign=abc", 400],
      ["campaign=1&x=2", 400],
    ] as const) {
      const res = await call(`/dt/visit.gif?${query}`, { headers: { referer: PAGE } });
      expect(res.status, query).toBe(status);
      expect(res.headers.get("content-type")).toBe("image/gif");
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });
});
