import { describe, expect, it } from "vitest";
import { api, call, created, createOffer } from "./helpers";
import { report } from "./report-helpers";
import { convertVisit, deadZones, HOUR, json, newCampaign, zoneVisits } from "./rules-helpers";

describe("POST /api/rules validation", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["an unknown dimension", { dimension: "zone" }, "dimension"],
    ["an unknown metric", { conditions: [{ metric: "leads", op: ">", value: 1 }] }, "conditions[0].metric"],
    ["an unknown operator", { conditions: [{ metric: "cost", op: "!=", value: 1 }] }, "conditions[0].op"],
    ["a window of 0 hours", { window: { hours: 0 } }, "window.hours"],
    ["a window over 720 hours", { window: { hours: 721 } }, "window.hours"],
    ["a pause on a dimension it cannot pause", { action: { type: "pause" } }, "action.type"],
    ["a notify URL that is not http(s)", { action: { type: "notify", url: "ftp://x" } }, "action.url"],
    ["an unknown action", { action: { type: "delete" } }, "action.type"],
    ["an unknown key", { colour: "red" }, "colour"],
  ];
  for (const [what, change, field] of cases)
    it(`refuses ${what} with a 400 naming ${field}`, async () => {
      const body = await json(api("POST", "/rules", { ...deadZones(), ...change }), 400);
      expect(body.issues.map((i: { path: string }) => i.path)).toContain(field);
      expect((await json(api("GET", "/rules"))).rules).toHaveLength(0);
    });

  it("takes every report dimension, and a PATCH is checked whole", async () => {
    const rule = await created(api("POST", "/rules", { ...deadZones(), dimension: "referrerDomain" }));
    expect(rule).toMatchObject({
      dimension: "referrerDomain",
      enabled: true,
      campaignIds: null,
      window: { hours: 24 },
    });
    const bad = await json(api("PATCH", `/rules/${rule.id}`, { action: { type: "pause" } }), 400);
    expect(bad.issues[0].path).toBe("action.type");
    const ok = await json(api("PATCH", `/rules/${rule.id}`, { enabled: false }));
    expect(ok.enabled).toBe(false);
    expect((await json(api("GET", `/rules/${rule.id}`))).enabled).toBe(false);
    await json(api("DELETE", `/rules/${rule.id}`));
    await json(api("GET", `/rules/${rule.id}`), 404);
  });
});

describe("a blocklist rule", () => {
  it("previews the losing zones changing nothing, runs, blocks them once, and logs why", async () => {
    const { offer, campaign } = await newCampaign();
    await zoneVisits(campaign.id, offer.id, "zone1", 6, { cost: 1 }); // cost 6, no revenue: loses
    const paying = await zoneVisits(campaign.id, offer.id, "zone2", 6, { cost: 1 }); // cost 6, converts
    await convertVisit(campaign.id, offer.id, paying[0]!, 3);
    await zoneVisits(campaign.id, offer.id, "zone3", 2, { cost: 1 }); // cost 2: not yet
    await zoneVisits(campaign.id, offer.id, "zone4", 10, { cost: 1, at: Date.now() - 30 * HOUR }); // outside 24 h
    const rule = await created(api("POST", "/rules", deadZones([campaign.id])));

    const preview = await json(api("POST", `/rules/${rule.id}/preview`));
    expect(preview.matches.map((m: { key: string }) => m.key)).toEqual(["zone1"]);
    expect(preview.actions).toEqual([
      {
        campaignId: campaign.id,
        key: "zone1",
        label: "zone1",
        action: "blocklist",
        result: "would add to the blocklist",
      },
    ]);
    expect(await json(api("GET", `/campaigns/${campaign.id}/blocklist`))).toEqual({});

    // The rule reads the report's own figures.
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const rows = (
      await report({ from: day(Date.now() - 26 * HOUR), to: day(Date.now()), groupBy: "var1", campaignId: campaign.id })
    ).rows;
    const { acted, campaignId, ...figures } = preview.matches[0];
    expect(rows.find((r: { key: string }) => r.key === "zone1")).toEqual(figures);

    const run = await json(api("POST", `/rules/${rule.id}/run`));
    expect(run.actions[0].result).toBe("added to the blocklist");
    expect(await json(api("GET", `/campaigns/${campaign.id}/blocklist`))).toEqual({ var1: ["zone1"] });
    const text = await api("GET", `/campaigns/${campaign.id}/blocklist?dimension=var1&format=text`);
    expect(await text.text()).toBe("zone1\n");

    const again = await json(api("POST", `/rules/${rule.id}/run`));
    expect(again.actions).toEqual([]);
    expect(again.matches[0]).toMatchObject({ key: "zone1", acted: true });

    const log = await json(api("GET", `/rules/${rule.id}/log`));
    expect(log.firings).toHaveLength(1);
    expect(log.firings[0]).toMatchObject({
      campaignId: campaign.id,
      key: "zone1",
      action: "blocklist",
      result: "added to the blocklist",
      metrics: { visits: 6, cost: 6, revenue: 0, conversions: 0 },
    });
  });

  it("acts once: again only after the value stopped matching and matches anew; undo holds meanwhile", async () => {
    const { offer, campaign } = await newCampaign();
    const ids = await zoneVisits(campaign.id, offer.id, "z9", 5, { cost: 1 });
    const rule = await created(api("POST", "/rules", deadZones([campaign.id])));
    await json(api("POST", `/rules/${rule.id}/run`));
    await json(api("DELETE", `/campaigns/${campaign.id}/blocklist/var1/z9`));
    // Still matching: removed by hand, it stays removed.
    expect((await json(api("POST", `/rules/${rule.id}/run`))).actions).toEqual([]);
    expect(await json(api("GET", `/campaigns/${campaign.id}/blocklist`))).toEqual({});
    await convertVisit(campaign.id, offer.id, ids[0]!, 5, "sale");
    expect((await json(api("POST", `/rules/${rule.id}/run`))).matches).toEqual([]);
    await convertVisit(campaign.id, offer.id, ids[0]!, -5, "chargeback"); // revenue back to 0
    const anew = await json(api("POST", `/rules/${rule.id}/run`));
    expect(anew.actions.map((a: { key: string; result: string }) => [a.key, a.result])).toEqual([
      ["z9", "added to the blocklist"],
    ]);
    expect((await json(api("GET", `/rules/${rule.id}/log`))).firings).toHaveLength(2);
    await json(api("DELETE", `/campaigns/${campaign.id}/blocklist/var1/nothing`), 404);
  });

  it("looks at the campaigns it names, or every live campaign, never an archived one", async () => {
    const a = await newCampaign();
    const b = await newCampaign();
    const archived = await newCampaign();
    for (const c of [a, b, archived]) await zoneVisits(c.campaign.id, c.offer.id, "dead", 5, { cost: 1 });
    await json(api("DELETE", `/campaigns/${archived.campaign.id}`));
    const named = await created(api("POST", "/rules", deadZones([a.campaign.id])));
    const run = await json(api("POST", `/rules/${named.id}/run`));
    expect(run.actions.map((x: { campaignId: number }) => x.campaignId)).toEqual([a.campaign.id]);
    expect(await json(api("GET", `/campaigns/${b.campaign.id}/blocklist`))).toEqual({});
    const every = await created(api("POST", "/rules", deadZones()));
    const all = await json(api("POST", `/rules/${every.id}/preview`));
    const scoped = all.matches.map((m: { campaignId: number }) => m.campaignId);
    expect(scoped).toContain(a.campaign.id);
    expect(scoped).toContain(b.campaign.id);
    expect(scoped).not.toContain(archived.campaign.id);
  });

  it("counts only the window: 48 hours reach the zone that 24 hours do not", async () => {
    const { offer, campaign } = await newCampaign();
    await zoneVisits(campaign.id, offer.id, "old", 8, { cost: 1, at: Date.now() - 30 * HOUR });
    const narrow = await created(api("POST", "/rules", deadZones([campaign.id])));
    expect((await json(api("POST", `/rules/${narrow.id}/preview`))).matches).toEqual([]);
    const wide = await created(api("POST", "/rules", { ...deadZones([campaign.id]), window: { hours: 48 } }));
    expect((await json(api("POST", `/rules/${wide.id}/preview`))).matches.map((m: { key: string }) => m.key)).toEqual([
      "old",
    ]);
  });

  it("sends blocklisted visitors down the flow's fallback path", async () => {
    const main = await createOffer({ url: "https://main.example/?c={clickid}" });
    const fallback = await createOffer({ url: "https://fallback.example/?c={clickid}" });
    const flow = {
      rules: [
        {
          name: "Blocked",
          conditions: [{ field: "blocklisted", op: "in", values: ["true"] }],
          paths: [{ name: "Fallback", offers: [{ offerId: fallback.id }] }],
        },
      ],
      defaultPaths: [{ name: "Main", offers: [{ offerId: main.id }] }],
    };
    const campaign = await created(api("POST", "/campaigns", { name: "Flow", flow }));
    const host = async (zone: string) =>
      new URL((await call(`/c/${campaign.id}?var1=${zone}`)).headers.get("location")!).host;
    expect(await host("bad")).toBe("main.example");
    await zoneVisits(campaign.id, main.id, "bad", 5, { cost: 1 });
    const rule = await created(api("POST", "/rules", deadZones([campaign.id])));
    await json(api("POST", `/rules/${rule.id}/run`));
    expect(await host("bad")).toBe("fallback.example");
    expect(await host("good")).toBe("main.example");
    await json(api("DELETE", `/campaigns/${campaign.id}/blocklist/var1/bad`));
    expect(await host("bad")).toBe("main.example");
  });

  it("refuses a blocklisted condition with a value other than true or false", async () => {
    const offer = await createOffer();
    const flow = {
      rules: [
        {
          name: "B",
          conditions: [{ field: "blocklisted", op: "in", values: ["yes"] }],
          paths: [{ name: "P", offers: [{ offerId: offer.id }] }],
        },
      ],
      defaultPaths: [{ name: "Main", offers: [{ offerId: offer.id }] }],
    };
    const body = await json(api("POST", "/campaigns", { name: "Flow", flow }), 400);
    expect(body.issues[0].path).toBe("flow.rules[0].conditions[0].values[0]");
  });
});
