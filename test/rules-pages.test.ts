import { describe, expect, it } from "vitest";
import { adminSession, api, created, createOffer, pageErrors } from "./helpers";
import { json, newCampaign, pauseOffers, zoneVisits } from "./rules-helpers";

const form = (campaignId: number, extra: Record<string, string> = {}) => ({
  name: "Dead zones",
  campaignIds: String(campaignId),
  dimension: "var1",
  windowHours: "24",
  metric0: "cost",
  op0: ">=",
  value0: "5",
  metric1: "revenue",
  op1: "<=",
  value1: "0",
  action: "blocklist",
  enabled: "on",
  ...extra,
});

describe("the rules pages", () => {
  it("previews a rule before saving it, saves, switches, runs and shows its log", async () => {
    const admin = await adminSession();
    const { offer, campaign } = await newCampaign();
    await zoneVisits(campaign.id, offer.id, "zone<7>", 6, { cost: 1 });
    const bad = await admin.post("/admin/rules", form(campaign.id, { windowHours: "0", intent: "save" }));
    expect(bad.status).toBe(400);
    expect(pageErrors(await bad.text())).toEqual(["Window (hours): must be at least 1"]);

    const preview = await admin.post("/admin/rules", form(campaign.id, { intent: "preview" }));
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain("Preview: what this rule would do now");
    expect(html).toContain("zone&lt;7&gt;");
    expect(html).toContain("would add to the blocklist");
    expect((await json(api("GET", "/rules"))).rules).toEqual([]);

    const saved = await admin.post("/admin/rules", form(campaign.id, { intent: "save" }));
    expect(saved.status).toBe(303);
    const [rule] = (await json(api("GET", "/rules"))).rules;
    expect(rule).toMatchObject({ name: "Dead zones", campaignIds: [campaign.id], enabled: true });
    await admin.post(`/admin/rules/${rule.id}/toggle`, {});
    expect((await json(api("GET", `/rules/${rule.id}`))).enabled).toBe(false);

    const run = await admin.post(`/admin/rules/${rule.id}/run`, {});
    expect(run.headers.get("location")).toBe(`/admin/rules/${rule.id}`);
    const log = await (await admin.get(`/admin/rules/${rule.id}`)).text();
    expect(log).toContain("added to the blocklist");
    expect(log).toContain("cost 6");

    const page = await (await admin.get(`/admin/campaigns/${campaign.id}/blocklist`)).text();
    expect(page).toContain('data-copy="zone&lt;7&gt;"');
    await admin.post(`/admin/campaigns/${campaign.id}/blocklist/remove`, { dimension: "var1", value: "zone<7>" });
    expect(await json(api("GET", `/campaigns/${campaign.id}/blocklist`))).toEqual({});
  });

  it("unpauses from the campaign's page, and the campaign page shows the weights in use", async () => {
    const admin = await adminSession();
    const x = await createOffer();
    const y = await createOffer();
    const campaign = await created(
      api("POST", "/campaigns", {
        name: "Two",
        offers: [
          { offerId: x.id, weight: 60 },
          { offerId: y.id, weight: 40 },
        ],
      }),
    );
    await zoneVisits(campaign.id, x.id, "a", 3);
    const rule = await pauseOffers(campaign.id, { metric: "visits", op: ">=", value: 1 });
    await json(api("POST", `/rules/${rule.id}/run`));
    const edit = await (await admin.get(`/admin/campaigns/${campaign.id}`)).text();
    expect(edit).toContain("Weights the redirect uses now");
    expect(edit).toMatch(new RegExp(`offer ${x.id}</td><td class="num">0</td>`));
    const page = await (await admin.get(`/admin/campaigns/${campaign.id}/blocklist`)).text();
    expect(page).toContain("Unpause");
    await admin.post(`/admin/campaigns/${campaign.id}/blocklist/unpause`, { dimension: "offer", itemId: String(x.id) });
    const shown = await json(api("GET", `/campaigns/${campaign.id}`));
    expect(shown.effectiveWeights.offers.map((o: { weight: number }) => o.weight)).toEqual([60, 40]);
  });

  it("keeps a flow path's optimize through the flow editor, and names a bad one", async () => {
    const admin = await adminSession();
    const offer = await createOffer();
    const optimize = { metric: "cr", windowHours: 48, minShare: 0.1 };
    const flow = { defaultPaths: [{ name: "Main", offers: [{ offerId: offer.id }], optimize }] };
    const campaign = await created(api("POST", "/campaigns", { name: "Flow", flow }));
    const page = `/admin/campaigns/${campaign.id}/flow`;
    const html = await (await admin.get(page)).text();
    const fields: Record<string, string> = {};
    for (const m of html.matchAll(/<input[^>]*name="(flow[^"]+)"[^>]*value="([^"]*)"/g))
      fields[m[1]!] = m[2]!.replace(/&quot;/g, '"');
    for (const m of html.matchAll(/<select name="(flow[^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
      fields[m[1]!] = /<option value="([^"]*)" selected=""/.exec(m[2]!)?.[1] ?? "";
    expect(fields["flow.defaultPaths[0].optimize"]).toBe(JSON.stringify(optimize));
    expect((await admin.post(page, { ...fields, op: "save" })).status).toBe(303);
    expect((await json(api("GET", `/campaigns/${campaign.id}`))).flow.defaultPaths[0].optimize).toEqual(optimize);
    const bad = await admin.post(page, { ...fields, "flow.defaultPaths[0].optimize": '{"metric":"roi"}', op: "save" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("must be &quot;epc&quot; or &quot;cr&quot;");
  });
});
