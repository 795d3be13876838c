import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, BASE, call, createCampaign, created, createOffer } from "./helpers";

describe("admin API authentication", () => {
  it("answers 401 without a token and with a wrong one", async () => {
    const none = await call("/api/offers");
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: expect.stringMatching(/Authorization/),
      code: "unauthorized",
      requestId: expect.any(String),
    });
    const wrong = await call("/api/offers", { headers: { Authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    const almost = await call("/api/offers", { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}x` } });
    expect(almost.status).toBe(401);
    const ok = await call("/api/offers", { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } });
    expect(ok.status).toBe(200);
  });

  it("stays closed when no ADMIN_TOKEN is configured", async () => {
    const { default: worker } = await import("../src/index");
    const closedEnv = { ...env, ADMIN_TOKEN: "" };
    for (const token of ["", "undefined", "null"]) {
      const res = await worker.fetch(
        new Request(`${BASE}/api/offers`, { headers: { Authorization: `Bearer ${token}` } }),
        closedEnv,
      );
      expect(res.status).not.toBe(200);
    }
    const res = await worker.fetch(
      new Request(`${BASE}/api/offers`, { headers: { Authorization: "Bearer x" } }),
      closedEnv,
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: "unavailable", error: expect.stringContaining("ADMIN_TOKEN") });
  });
});

describe("offers", () => {
  it("creates, reads, lists, updates and archives an offer", async () => {
    const offer = await createOffer({
      name: "Summer",
      url: "https://shop.example/?c={clickid}",
      payout: { mode: "manual", amount: 1.5 },
    });
    expect(offer).toMatchObject({
      id: expect.any(Number),
      name: "Summer",
      payout: { mode: "manual", amount: 1.5 },
      archived: false,
    });

    expect(await (await api("GET", `/offers/${offer.id}`)).json()).toEqual(offer);
    const patched = await api("PATCH", `/offers/${offer.id}`, { payout: { mode: "auto" }, name: "Summer 2" });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ name: "Summer 2", payout: { mode: "auto" } });

    const archived = await api("DELETE", `/offers/${offer.id}`);
    expect(await archived.json()).toMatchObject({ archived: true });
    const list = (await (await api("GET", "/offers")).json()) as { offers: { id: number }[] };
    expect(list.offers.map((o) => o.id)).not.toContain(offer.id);
    const all = (await (await api("GET", "/offers?archived=1")).json()) as { offers: { id: number }[] };
    expect(all.offers.map((o) => o.id)).toContain(offer.id);
  });

  it("keeps money exact", async () => {
    const offer = await createOffer({ payout: { mode: "manual", amount: 0.000001 } });
    expect(offer.payout.amount).toBe(0.000001);
    const big = await createOffer({ payout: { mode: "manual", amount: "123456.789012" } });
    expect(big.payout.amount).toBe(123456.789012);
  });

  it.each([
    [{ name: "x", url: "javascript:alert(1)" }, "url"],
    [{ name: "x", url: "ftp://files.example/" }, "url"],
    // The parser would skip the third slash and take {var1} for the host: an open redirect.
    [{ name: "x", url: "https:///{var1}/x" }, "url"],
    [{ name: "x", url: "/relative" }, "url"],
    [{ name: "", url: "https://a.example/" }, "name"],
    [{ url: "https://a.example/" }, "name"],
    [{ name: "x", url: "https://a.example/", payout: { mode: "manual" } }, "payout.amount"],
    [
      { name: "x", url: "https://a.example/", payout: { mode: "manual", amount: Number.POSITIVE_INFINITY } },
      "payout.amount",
    ],
    [{ name: "x", url: "https://a.example/", payout: { mode: "manual", amount: 0.0000001 } }, "payout.amount"],
    [{ name: "x", url: "https://a.example/", payout: { mode: "fixed" } }, "payout.mode"],
  ])("rejects %j with a 400 naming %s", async (body, field) => {
    const res = await api("POST", "/offers", body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; issues: { path: string }[] };
    expect(json.error).toContain(field);
    expect(json.issues.map((i) => i.path)).toContain(field);
  });

  it("answers malformed JSON with 400 and unknown ids with 404", async () => {
    const bad = await call("/api/offers", {
      method: "POST",
      headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
      body: "{nope",
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toHaveProperty("error");
    for (const id of ["999999", "abc", "1.5", "-1"]) {
      expect((await api("GET", `/offers/${id}`)).status).toBe(404);
      expect((await api("PATCH", `/offers/${id}`, { name: "y" })).status).toBe(404);
    }
  });
});

describe("campaigns", () => {
  it("creates a campaign with weighted offers and returns its tracking URL", async () => {
    const a = await createOffer({ name: "A" });
    const b = await createOffer({ name: "B" });
    const campaign = await createCampaign(
      [
        { offerId: a.id, weight: 70 },
        { offerId: b.id, weight: 30 },
      ],
      { name: "Push US", costPerClick: 0.05 },
    );
    expect(campaign).toMatchObject({
      name: "Push US",
      costPerClick: 0.05,
      offers: [
        { offerId: a.id, weight: 70 },
        { offerId: b.id, weight: 30 },
      ],
      trackingUrl: `${BASE}/c/${campaign.id}`,
      archived: false,
    });
    expect(await (await api("GET", `/campaigns/${campaign.id}`)).json()).toEqual({
      ...campaign,
      effectiveWeights: expect.any(Object),
    });

    const patched = await api("PATCH", `/campaigns/${campaign.id}`, {
      offers: [{ offerId: b.id, weight: 1 }],
      costPerClick: null,
    });
    expect(await patched.json()).toMatchObject({ offers: [{ offerId: b.id, weight: 1 }], costPerClick: null });

    expect(await (await api("DELETE", `/campaigns/${campaign.id}`)).json()).toMatchObject({ archived: true });
    const list = (await (await api("GET", "/campaigns")).json()) as { campaigns: { id: number }[] };
    expect(list.campaigns.map((c) => c.id)).not.toContain(campaign.id);
  });

  it("rejects unknown or archived offers, naming the offending entry", async () => {
    const live = await createOffer();
    const gone = await createOffer();
    await api("DELETE", `/offers/${gone.id}`);
    const res = await api("POST", "/campaigns", {
      name: "x",
      offers: [
        { offerId: live.id, weight: 1 },
        { offerId: gone.id, weight: 1 },
      ],
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: expect.stringContaining("offers[1].offerId") });
    const unknown = await api("POST", "/campaigns", { name: "x", offers: [{ offerId: 987654, weight: 1 }] });
    expect(unknown.status).toBe(400);
    const all = (await (await api("GET", "/campaigns?archived=1")).json()) as { campaigns: { name: string }[] };
    expect(all.campaigns.filter((c) => c.name === "x")).toEqual([]);
  });

  it.each([
    [{ name: "x", offers: [] }, "offers"],
    [{ name: "x", offers: [{ offerId: 1, weight: -1 }] }, "offers[0].weight"],
    [{ name: "x", offers: [{ offerId: 1, weight: 0 }] }, "offers"],
    [{ name: "x", offers: [{ offerId: 1, weight: 1 }], costPerClick: "abc" }, "costPerClick"],
    [{ offers: [{ offerId: 1, weight: 1 }] }, "name"],
  ])("rejects %j with a 400 naming %s", async (body, field) => {
    const res = await api("POST", "/campaigns", body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(field);
  });
});

describe("conversion types", () => {
  it("creates, lists, renames and archives a type; names are unique", async () => {
    const type = await created(api("POST", "/conversion-types", { name: "app_install", includeInConversions: false }));
    expect(type).toMatchObject({ name: "app_install", includeInConversions: false, archived: false });
    expect((await api("POST", "/conversion-types", { name: "app_install", includeInConversions: true })).status).toBe(
      409,
    );

    const other = await created(api("POST", "/conversion-types", { name: "deposit", includeInConversions: true }));
    expect((await api("PATCH", `/conversion-types/${other.id}`, { name: "app_install" })).status).toBe(409);
    const renamed = await api("PATCH", `/conversion-types/${other.id}`, { name: "first-deposit" });
    expect(await renamed.json()).toMatchObject({ name: "first-deposit" });

    expect(await (await api("DELETE", `/conversion-types/${type.id}`)).json()).toMatchObject({ archived: true });
    const list = (await (await api("GET", "/conversion-types")).json()) as { conversionTypes: { name: string }[] };
    expect(list.conversionTypes.map((t) => t.name)).toEqual(["first-deposit"]);
  });

  it.each(["", "has space", "a".repeat(65), "<script>", "ünï"])("rejects the name %j", async (name) => {
    const res = await api("POST", "/conversion-types", { name, includeInConversions: true });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: expect.stringContaining("name") });
  });
});
