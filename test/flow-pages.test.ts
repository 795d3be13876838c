import { beforeAll, describe, expect, it } from "vitest";
import { adminSession, api, BASE, call, created, createOffer, createTrafficSource, oneRuleFlow } from "./helpers";

let admin: Awaited<ReturnType<typeof adminSession>>;
beforeAll(async () => {
  admin = await adminSession();
});
const get = (path: string) => admin.get(path);
const post = (path: string, fields: Record<string, string>) => admin.post(path, fields);

/** The form fields a browser would send for the page's inputs, selects and textareas. */
function fieldsOf(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) out[m[1]!] = m[2]!;
  for (const m of html.matchAll(/<select name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
    out[m[1]!] = /<option value="([^"]*)" selected=""/.exec(m[2]!)?.[1] ?? /<option value="([^"]*)"/.exec(m[2]!)![1]!;
  for (const m of html.matchAll(/<textarea name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) out[m[1]!] = m[2]!;
  return out;
}

async function setup() {
  const offer = await createOffer({ name: "Shop" });
  const second = await createOffer({ name: "Second shop" });
  const lander = await created(
    api("POST", "/landers", { name: "Quiz", url: "https://lp.example/?cid={clickid}", offerCount: 2 }),
  );
  const campaign = await created(api("POST", "/campaigns", { name: "Editor", offers: [{ offerId: offer.id }] }));
  return { offer, second, lander, campaign, page: `/admin/campaigns/${campaign.id}/flow` };
}

describe("the flow editor", () => {
  it("builds a flow with add buttons, shows errors next to their field, then saves", async () => {
    const { offer, second, lander, campaign, page } = await setup();
    let html = await (await get(page)).text();
    expect(html).toContain("This campaign rotates its offers");
    let fields: Record<string, string> = {
      ...fieldsOf(html),
      "flow.defaultPaths[0].offers[0].offerId": String(offer.id),
    };

    html = await (await post(page, { ...fields, op: "addRule" })).text();
    fields = { ...fieldsOf(html), "field:flow.rules[0]": "device" };
    html = await (await post(page, { ...fields, op: "addCondition:flow.rules[0]" })).text();
    expect(html).toMatch(
      /<select name="flow\.rules\[0\]\.conditions\[0\]\.field"[^>]*>[\s\S]*?value="device" selected/,
    );
    html = await (await post(page, { ...fieldsOf(html), op: "addLander:flow.rules[0].paths[0]" })).text();
    html = await (await post(page, { ...fieldsOf(html), op: "addOffer:flow.rules[0].paths[0]" })).text();
    fields = {
      ...fieldsOf(html),
      "flow.rules[0].name": "Phones",
      "flow.rules[0].conditions[0].values": "mobile, phone",
      "flow.rules[0].paths[0].landers[0].landerId": String(lander.id),
      "flow.rules[0].paths[0].offers[0].offerId": String(offer.id),
      "flow.rules[0].paths[0].offers[1].offerId": String(second.id),
    };

    const bad = await post(page, { ...fields, op: "save" });
    expect(bad.status).toBe(400);
    html = await bad.text();
    expect(html).toMatch(
      /data-for="flow\.rules\[0\]\.conditions\[0\]\.values"><div>&quot;phone&quot; is not a device type/,
    );
    expect((await (await api("GET", `/campaigns/${campaign.id}`)).json<any>()).flow).toBeNull();

    const saved = await post(page, {
      ...fieldsOf(html),
      "flow.rules[0].conditions[0].values": "mobile\ntablet",
      op: "save",
    });
    expect(saved.status).toBe(303);
    const { flow, offers } = await (await api("GET", `/campaigns/${campaign.id}`)).json<any>();
    expect(offers).toEqual([]);
    expect(flow.rules[0]).toMatchObject({
      name: "Phones",
      conditions: [{ field: "device", op: "in", values: ["mobile", "tablet"] }],
      paths: [{ landers: [{ landerId: lander.id }], offers: [{ offerId: offer.id }, { offerId: second.id }] }],
    });

    // Saved again from the page, the ids stay.
    html = await (await get(page)).text();
    expect(html).toContain("/click/2");
    expect((await post(page, { ...fieldsOf(html), op: "save" })).status).toBe(303);
    expect((await (await api("GET", `/campaigns/${campaign.id}`)).json<any>()).flow).toEqual(flow);
  });

  it("removes rows, and names offers that are not there any more", async () => {
    const { offer, page } = await setup();
    let html = await (await post(page, { ...fieldsOf(await (await get(page)).text()), op: "addRule" })).text();
    html = await (await post(page, { ...fieldsOf(html), op: "remove:flow.rules[0]" })).text();
    expect(html).not.toContain("flow.rules[0].name");
    await api("DELETE", `/offers/${offer.id}`);
    const res = await post(page, {
      ...fieldsOf(html),
      "flow.defaultPaths[0].offers[0].offerId": String(offer.id),
      op: "save",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(
      new RegExp(
        `data-for="flow\\.defaultPaths\\[0\\]\\.offers\\[0\\]"><div>offer ${offer.id} does not exist or is archived`,
      ),
    );
  });

  it("ignores form names that are not the flow's", async () => {
    const { page } = await setup();
    const res = await post(page, {
      "flow.constructor.prototype.polluted": "x",
      "flow.rules[0].__proto__": "y",
      op: "addRule",
    });
    expect(res.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("keeps a campaign's flow when its edit form leaves the weights blank, and replaces it with weights", async () => {
    const { offer, campaign } = await setup();
    await api("PATCH", `/campaigns/${campaign.id}`, {
      flow: { defaultPaths: [{ name: "Only", offers: [{ offerId: offer.id }] }] },
    });
    expect(await (await get(`/admin/campaigns/${campaign.id}`)).text()).toContain("routes visitors through its");
    expect((await post(`/admin/campaigns/${campaign.id}`, { name: "Renamed" })).status).toBe(303);
    let json = await (await api("GET", `/campaigns/${campaign.id}`)).json<any>();
    expect(json).toMatchObject({ name: "Renamed", offers: [] });
    expect(json.flow.defaultPaths).toHaveLength(1);
    await post(`/admin/campaigns/${campaign.id}`, { name: "Renamed", [`weight_${offer.id}`]: "3" });
    json = await (await api("GET", `/campaigns/${campaign.id}`)).json<any>();
    expect(json).toMatchObject({ offers: [{ offerId: offer.id, weight: 3 }], flow: null });
  });

  it("lists the landers' call-to-action URLs on the settings page", async () => {
    await setup();
    const html = await (await get("/admin/settings")).text();
    expect(html).toContain("Lander call-to-action URLs");
    for (const url of [`${BASE}/click"`, `${BASE}/click/1"`, `${BASE}/click/2"`]) expect(html).toContain(url);
  });

  it("serves the editor's script from the worker, without a session, cached by ETag", async () => {
    const { page } = await setup();
    const html = await (await get(page)).text();
    expect(html).toContain('<script src="/admin/assets/flow.js" defer=""></script>');
    // The blank parts the script clones post nothing: their fields have no name.
    expect(html).toMatch(/<template id="flow-tpl-offers">[\s\S]*?data-leaf="offerId"/);
    const templates = [...html.matchAll(/<template[^>]*>([\s\S]*?)<\/template>/g)].map((m) => m[1]!);
    expect(templates).toHaveLength(5);
    const names = templates.join("").match(/ name="[^"]*"/g) ?? [];
    expect(names.filter((n) => n !== ' name="op"')).toEqual([]);
    const res = await call("/admin/assets/flow.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(await res.text()).toContain('document.querySelector("form.flow")');
    const again = await call("/admin/assets/flow.js", { headers: { "If-None-Match": res.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  it("answers 404 for a campaign that does not exist", async () => {
    expect((await get("/admin/campaigns/987654/flow")).status).toBe(404);
    expect((await post("/admin/campaigns/987654/flow", { op: "save" })).status).toBe(404);
  });

  it("names var slots in conditions as the campaign's traffic source does", async () => {
    const source = await createTrafficSource({
      variables: [{ slot: 2, param: "site", placeholder: "{site_id}", alias: "Site" }],
    });
    const offer = await createOffer();
    const flow = oneRuleFlow(offer.id, "One site", "var2", "s1");
    const campaign = await created(api("POST", "/campaigns", { name: "Sited", trafficSourceId: source.id, flow }));
    const html = await (await get(`/admin/campaigns/${campaign.id}/flow`)).text();
    expect(html).toContain('<option value="var2" selected="">Site</option>');
    expect(html).toContain('<option value="var2">Site</option>');
    expect(html).toContain('<option value="var1">var1</option>');
  });
});
