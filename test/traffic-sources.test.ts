import { describe, expect, it } from "vitest";
import { api, BASE, createCampaign, createOffer, createTrafficSource, setupCampaign } from "./helpers";

type Issues = { error: string; code: string; issues: { path: string; message: string }[] };

const propeller = {
  name: "PropellerAds",
  externalId: { param: "clickid", placeholder: `\${SUBID}` },
  cost: { param: "cost", placeholder: `\${COST}` },
  variables: [
    { slot: 3, param: "campaign", placeholder: `\${CAMPAIGNID}` },
    { slot: 1, param: "zone", placeholder: "{zoneid}", alias: "Zone" },
  ],
  postbackUrl: "https://ad.propellerads.com/conversion.php?aid=1&visitor_id={externalid}&payout={payout}",
};

describe("traffic sources API", () => {
  it("creates, reads, lists, updates and archives a source", async () => {
    const source = await createTrafficSource(propeller);
    expect(source).toEqual({
      id: expect.any(Number),
      name: "PropellerAds",
      externalId: { param: "clickid", placeholder: `\${SUBID}` },
      cost: { param: "cost", placeholder: `\${COST}` },
      // Sorted by slot; a variable without an alias is shown under its parameter name.
      variables: [
        { slot: 1, param: "zone", placeholder: "{zoneid}", alias: "Zone" },
        { slot: 3, param: "campaign", placeholder: `\${CAMPAIGNID}`, alias: "campaign" },
      ],
      postbackUrl: propeller.postbackUrl,
      postbackFor: "conversions",
      postbackStatuses: ["approved"],
      conversionApi: null,
      archived: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await (await api("GET", `/traffic-sources/${source.id}`)).json()).toEqual(source);

    const patched = await api("PATCH", `/traffic-sources/${source.id}`, {
      cost: null,
      postbackFor: "all",
      name: "Propeller",
    });
    expect(patched.status).toBe(200);
    // Fields the PATCH does not name keep their values.
    expect(await patched.json()).toMatchObject({
      name: "Propeller",
      cost: null,
      postbackFor: "all",
      externalId: source.externalId,
      variables: source.variables,
      postbackUrl: source.postbackUrl,
    });

    expect(await (await api("DELETE", `/traffic-sources/${source.id}`)).json()).toMatchObject({ archived: true });
    const live = await (await api("GET", "/traffic-sources")).json<{ trafficSources: { id: number }[] }>();
    expect(live.trafficSources.map((s) => s.id)).not.toContain(source.id);
    const all = await (await api("GET", "/traffic-sources?archived=1")).json<{ trafficSources: { id: number }[] }>();
    expect(all.trafficSources.map((s) => s.id)).toContain(source.id);
    const restored = await api("PATCH", `/traffic-sources/${source.id}`, { archived: false });
    expect(await restored.json()).toMatchObject({ archived: false, name: "Propeller" });
  });

  it("takes a bare source: name only, everything else empty", async () => {
    const source = await createTrafficSource({
      name: "Direct",
      externalId: undefined,
      cost: undefined,
      variables: undefined,
    });
    expect(source).toMatchObject({
      externalId: null,
      cost: null,
      variables: [],
      postbackUrl: null,
      postbackFor: "conversions",
    });
  });

  const zone = (slot: number, param = `p${slot}`) => ({ slot, param, placeholder: `{p${slot}}` });
  it.each([
    [{ name: "" }, "name"],
    [{ name: undefined }, "name"],
    [{ name: "x".repeat(201) }, "name"],
    [{ externalId: { param: "click id", placeholder: `\${SUBID}` } }, "externalId.param"],
    [{ externalId: { param: "a&b", placeholder: "x" } }, "externalId.param"],
    [{ externalId: { param: "", placeholder: "x" } }, "externalId.param"],
    [{ externalId: { param: "clickid", placeholder: "" } }, "externalId.placeholder"],
    [{ externalId: { param: "clickid", placeholder: "a b" } }, "externalId.placeholder"],
    [{ externalId: { param: "clickid", placeholder: "{a}&x={b}" } }, "externalId.placeholder"],
    [{ externalId: { param: "clickid" } }, "externalId.placeholder"],
    [{ cost: { param: "c=1", placeholder: "x" } }, "cost.param"],
    [{ cost: { param: "clickid", placeholder: `\${COST}` } }, "cost.param"],
    [{ variables: [zone(11)] }, "variables[0].slot"],
    [{ variables: [zone(0)] }, "variables[0].slot"],
    [{ variables: [zone(1, "clickid")] }, "variables[0].param"],
    [{ variables: [zone(1), zone(1, "other")] }, "variables[1].slot"],
    [{ variables: [zone(1, "same"), zone(2, "same")] }, "variables[1].param"],
    [{ variables: [zone(1), { ...zone(2), alias: "a".repeat(65) }] }, "variables[1].alias"],
    [{ variables: Array.from({ length: 11 }, (_, i) => zone((i % 10) + 1, `p${i}`)) }, "variables"],
    [{ postbackUrl: "javascript:alert(1)" }, "postbackUrl"],
    [{ postbackUrl: "ftp://network.example/pb" }, "postbackUrl"],
    [{ postbackUrl: "/relative?x={externalid}" }, "postbackUrl"],
    [{ postbackUrl: "https://{host}/pb" }, "postbackUrl"],
    [{ postbackUrl: "https://net.{externalid}.example/pb" }, "postbackUrl"],
    [{ postbackUrl: "{scheme}://network.example/pb" }, "postbackUrl"],
    [{ postbackUrl: "https://network.example@evil.example/pb" }, "postbackUrl"],
    [{ postbackFor: "some" }, "postbackFor"],
  ])("rejects %j with a 400 naming %s, and stores nothing", async (patch, field) => {
    const before = await (await api("GET", "/traffic-sources?archived=1")).json<{ trafficSources: unknown[] }>();
    const res = await api("POST", "/traffic-sources", { ...propeller, ...patch });
    expect(res.status).toBe(400);
    const body = await res.json<Issues>();
    expect(body.code).toBe("invalid_parameter");
    expect(body.issues.map((i) => i.path)).toContain(field);
    expect(body.error).toContain(field);
    const after = await (await api("GET", "/traffic-sources?archived=1")).json<{ trafficSources: unknown[] }>();
    expect(after.trafficSources.length).toBe(before.trafficSources.length);
  });

  it("checks a PATCH against the whole stored source and changes nothing when it fails", async () => {
    const source = await createTrafficSource(propeller);
    const clash = await api("PATCH", `/traffic-sources/${source.id}`, { cost: { param: "zone", placeholder: "x" } });
    expect(clash.status).toBe(400);
    const body = await clash.json<Issues>();
    expect(body.issues).toEqual([{ path: "variables[0].param", message: '"zone" is already the cost parameter' }]);
    for (const bad of [{ archived: "yes" }, { unknownField: 1 }, { variables: [{ slot: 2 }] }]) {
      expect((await api("PATCH", `/traffic-sources/${source.id}`, bad)).status).toBe(400);
    }
    expect(await (await api("GET", `/traffic-sources/${source.id}`)).json()).toEqual(source);
  });

  it("answers unknown ids with 404", async () => {
    for (const id of ["999999", "abc", "1.5", "-1"]) {
      expect((await api("GET", `/traffic-sources/${id}`)).status).toBe(404);
      expect((await api("PATCH", `/traffic-sources/${id}`, { name: "y" })).status).toBe(404);
      expect((await api("DELETE", `/traffic-sources/${id}`)).status).toBe(404);
    }
  });
});

describe("campaigns with a traffic source", () => {
  it("carry the source's parameters in the tracking URL, placeholders as the network writes them", async () => {
    const source = await createTrafficSource({
      externalId: { param: "clickid", placeholder: `\${SUBID}` },
      cost: { param: "cost", placeholder: `\${COST}` },
      variables: [
        { slot: 2, param: "site", placeholder: "[SITE]" },
        { slot: 1, param: "zone", placeholder: "{zoneid}" },
      ],
    });
    const { campaign } = await setupCampaign({}, { trafficSourceId: source.id });
    const url = `${BASE}/c/${campaign.id}?clickid=\${SUBID}&cost=\${COST}&zone={zoneid}&site=[SITE]`;
    expect(campaign).toMatchObject({ trafficSourceId: source.id, trackingUrl: url });
    expect(await (await api("GET", `/campaigns/${campaign.id}`)).json()).toMatchObject({ trackingUrl: url });

    // The URL follows the source: edit it and every campaign's link changes.
    await api("PATCH", `/traffic-sources/${source.id}`, { cost: null, variables: [] });
    const list = await (await api("GET", "/campaigns")).json<{ campaigns: { id: number; trackingUrl: string }[] }>();
    expect(list.campaigns.find((c) => c.id === campaign.id)?.trackingUrl).toBe(
      `${BASE}/c/${campaign.id}?clickid=\${SUBID}`,
    );

    const detached = await api("PATCH", `/campaigns/${campaign.id}`, { trafficSourceId: null });
    expect(await detached.json()).toMatchObject({ trafficSourceId: null, trackingUrl: `${BASE}/c/${campaign.id}` });
  });

  it("a campaign without a source keeps the bare tracking URL", async () => {
    const { campaign } = await setupCampaign();
    expect(campaign).toMatchObject({ trafficSourceId: null, trackingUrl: `${BASE}/c/${campaign.id}` });
  });

  it("rejects an unknown or archived source with a 400 naming trafficSourceId, and keeps its own archived source", async () => {
    const offer = await createOffer();
    const source = await createTrafficSource();
    const campaign = await createCampaign([{ offerId: offer.id }], { name: "Keeps", trafficSourceId: source.id });
    await api("DELETE", `/traffic-sources/${source.id}`);
    for (const trafficSourceId of [source.id, 987_654]) {
      const res = await api("POST", "/campaigns", { name: "x", offers: [{ offerId: offer.id }], trafficSourceId });
      expect(res.status).toBe(400);
      const body = await res.json<Issues>();
      expect(body.issues).toEqual([
        { path: "trafficSourceId", message: `traffic source ${trafficSourceId} does not exist or is archived` },
      ]);
      expect(body.error).toContain("trafficSourceId");
    }
    for (const trafficSourceId of ["1", 0, -1, 1.5]) {
      const res = await api("POST", "/campaigns", { name: "x", offers: [{ offerId: offer.id }], trafficSourceId });
      expect((await res.json<Issues>()).issues.map((i) => i.path)).toContain("trafficSourceId");
    }
    const all = await (await api("GET", "/campaigns?archived=1")).json<{ campaigns: { name: string }[] }>();
    expect(all.campaigns.filter((c) => c.name === "x")).toEqual([]);

    // Links already pasted into the network keep working: the campaign may keep its archived source,
    // but not move to another archived one.
    const kept = await api("PATCH", `/campaigns/${campaign.id}`, { name: "Kept", trafficSourceId: source.id });
    expect(kept.status).toBe(200);
    const other = await createTrafficSource();
    await api("DELETE", `/traffic-sources/${other.id}`);
    const moved = await api("PATCH", `/campaigns/${campaign.id}`, { trafficSourceId: other.id });
    expect(moved.status).toBe(400);
    expect(await (await api("GET", `/campaigns/${campaign.id}`)).json()).toMatchObject({
      name: "Kept",
      trafficSourceId: source.id,
    });
  });
});
