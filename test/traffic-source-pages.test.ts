import { beforeAll, describe, expect, it } from "vitest";
import { adminSession, api, BASE, createOffer, createTrafficSource, pageErrors } from "./helpers";

// The traffic source pages and the campaign form's source field, posted as a browser would.
let get: (path: string) => Promise<Response>;
let post: (path: string, fields: Record<string, string>) => Promise<Response>;
beforeAll(async () => {
  ({ get, post } = await adminSession());
});

const sources = async () =>
  (await (await api("GET", "/traffic-sources?archived=1")).json<{ trafficSources: any[] }>()).trafficSources;

const form = {
  name: "ExoClick",
  externalIdParam: "clickid",
  externalIdPlaceholder: "{conversions_tracking}",
  costParam: "",
  costPlaceholder: "",
  var2Param: "zone",
  var2Placeholder: "{src_hostname}",
  var2Alias: "Site",
  postbackUrl: "",
  postbackFor: "all",
};

describe("traffic source pages", () => {
  it("are in the navigation; a source created through the form is the source the API returns", async () => {
    const list = await (await get("/admin/traffic-sources")).text();
    expect(list).toContain('<a href="/admin/traffic-sources" aria-current="page">Traffic sources</a>');
    expect((await post("/admin/traffic-sources", form)).status).toBe(303);
    expect((await sources()).find((s) => s.name === "ExoClick")).toMatchObject({
      externalId: { param: "clickid", placeholder: "{conversions_tracking}" },
      cost: null,
      variables: [{ slot: 2, param: "zone", placeholder: "{src_hostname}", alias: "Site" }],
      postbackUrl: null,
      postbackFor: "all",
    });
    // The list shows the parameters the tracking URL will carry.
    expect(await (await get("/admin/traffic-sources")).text()).toContain(
      "clickid={conversions_tracking}&amp;zone={src_hostname}",
    );
  });

  it("shows every invalid field by its label with 400, and stores nothing", async () => {
    const before = (await sources()).length;
    const res = await post("/admin/traffic-sources", {
      ...form,
      name: " ",
      externalIdPlaceholder: "",
      costParam: "zone",
      costPlaceholder: `\${COST}`,
      var5Param: "bad param",
      var5Placeholder: "x",
      var7Alias: "only an alias",
      postbackUrl: "https://{host}/pb",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    for (const message of [
      "Name: is required",
      "External ID placeholder: is required",
      "Variable 5 parameter: must be 1-64 characters",
      "Variable 7 parameter: must be 1-64 characters",
      "Variable 7 placeholder: is required",
      "Postback URL: tokens may appear only after the host",
    ])
      expect(html).toContain(message);
    // What was typed is shown again.
    expect(html).toContain('value="only an alias"');
    expect((await sources()).length).toBe(before);

    const clash = await (
      await post("/admin/traffic-sources", { ...form, costParam: "zone", costPlaceholder: "c" })
    ).text();
    expect(clash).toContain("Variable 2 parameter: &quot;zone&quot; is already the cost parameter");
  });

  it("the API and the form refuse the same input with the same messages and store nothing", async () => {
    const cases: [Record<string, unknown>, Record<string, string>, Record<string, string>][] = [
      [
        { name: " ", externalId: { param: "click id", placeholder: "x" } },
        { name: " ", externalIdParam: "click id", externalIdPlaceholder: "x" },
        { name: "Name", "externalId.param": "External ID parameter" },
      ],
      [
        {
          name: "A",
          cost: { param: "zone", placeholder: "c" },
          variables: [{ slot: 4, param: "zone", placeholder: "z" }],
        },
        { name: "A", costParam: "zone", costPlaceholder: "c", var4Param: "zone", var4Placeholder: "z" },
        { "variables[0].param": "Variable 4 parameter" },
      ],
      [
        { name: "A", variables: [{ slot: 2, param: "p", placeholder: "" }], postbackUrl: "https://{h}/" },
        { name: "A", var2Param: "p", var2Placeholder: "", postbackUrl: "https://{h}/" },
        { "variables[0].placeholder": "Variable 2 placeholder", postbackUrl: "Postback URL" },
      ],
    ];
    for (const [body, fields, labels] of cases) {
      const before = (await sources()).length;
      const res = await api("POST", "/traffic-sources", body);
      expect(res.status).toBe(400);
      const { issues } = await res.json<{ issues: { path: string; message: string }[] }>();
      const page = await post("/admin/traffic-sources", fields);
      expect(page.status).toBe(400);
      expect(pageErrors(await page.text())).toEqual(issues.map((i) => `${labels[i.path]}: ${i.message}`));
      expect((await sources()).length).toBe(before);
    }
  });

  it("edits, archives and restores a source through the forms", async () => {
    const source = await createTrafficSource({ name: "Before" });
    const page = await (await get(`/admin/traffic-sources/${source.id}`)).text();
    expect(page).toContain('name="var1Param" value="zone"');
    expect(page).toContain(`name="costPlaceholder" value="\${COST}"`);
    const edited = await post(`/admin/traffic-sources/${source.id}`, {
      name: "After",
      externalIdParam: "subid",
      externalIdPlaceholder: "[SUBID]",
      postbackFor: "conversions",
    });
    expect(edited.status).toBe(303);
    expect(await (await api("GET", `/traffic-sources/${source.id}`)).json()).toMatchObject({
      name: "After",
      externalId: { param: "subid", placeholder: "[SUBID]" },
      cost: null,
      variables: [],
    });
    expect((await post(`/admin/traffic-sources/${source.id}/archive`, {})).status).toBe(303);
    expect((await api("GET", `/traffic-sources/${source.id}`).then((r) => r.json<any>())).archived).toBe(true);
    expect((await post(`/admin/traffic-sources/${source.id}/restore`, {})).status).toBe(303);
    expect((await api("GET", `/traffic-sources/${source.id}`).then((r) => r.json<any>())).archived).toBe(false);
    for (const path of ["/admin/traffic-sources/999999", "/admin/traffic-sources/abc"])
      expect((await get(path)).status).toBe(404);
    expect((await post("/admin/traffic-sources/999999", form)).status).toBe(404);
  });

  it("escapes names and placeholders everywhere they are shown", async () => {
    const evil = '<script>alert("s")</script>';
    const source = await createTrafficSource({ name: evil, externalId: { param: "cid", placeholder: '"><img>' } });
    const offer = await createOffer();
    await api("POST", "/campaigns", { name: "Esc", offers: [{ offerId: offer.id }], trafficSourceId: source.id });
    for (const path of [
      "/admin/traffic-sources",
      `/admin/traffic-sources/${source.id}`,
      "/admin/campaigns",
      "/admin/settings",
    ]) {
      const html = await (await get(path)).text();
      expect(html, path).not.toContain("<script>alert");
      expect(html, path).not.toContain('"><img>');
    }
    expect(await (await get("/admin/campaigns")).text()).toContain("&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt;");
  });
});

describe("campaign form with a traffic source", () => {
  it("picks a live source; the list, edit page and settings show the tracking URL with its parameters", async () => {
    const source = await createTrafficSource({ name: "Propeller" });
    const archived = await createTrafficSource({ name: "Old network" });
    await api("DELETE", `/traffic-sources/${archived.id}`);
    const offer = await createOffer();
    const newPage = await (await get("/admin/campaigns")).text();
    expect(newPage).toContain(`<option value="${source.id}">Propeller</option>`);
    expect(newPage).not.toContain("Old network");

    const refused = await post("/admin/campaigns", {
      name: "Sourced",
      [`weight_${offer.id}`]: "1",
      trafficSourceId: String(archived.id),
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain(
      `Traffic source: traffic source ${archived.id} does not exist or is archived`,
    );

    const ok = await post("/admin/campaigns", {
      name: "Sourced",
      [`weight_${offer.id}`]: "1",
      trafficSourceId: String(source.id),
    });
    expect(ok.status).toBe(303);
    const { campaigns } = await (await api("GET", "/campaigns")).json<{ campaigns: any[] }>();
    const campaign = campaigns.find((c) => c.name === "Sourced");
    const url = `${BASE}/c/${campaign.id}?clickid=\${SUBID}&cost=\${COST}&zone={zoneid}`;
    expect(campaign).toMatchObject({ trafficSourceId: source.id, trackingUrl: url });
    const inAttribute = url.replaceAll("&", "&amp;");
    for (const path of ["/admin/campaigns", "/admin/settings"]) {
      const html = await (await get(path)).text();
      expect(html, path).toContain(`value="${inAttribute}"`);
      expect(html, path).toContain(`data-copy="${inAttribute}"`);
    }
    const edit = await (await get(`/admin/campaigns/${campaign.id}`)).text();
    expect(edit).toContain(`<code>${inAttribute}</code>`);
    expect(edit).toContain(`<option value="${source.id}" selected="">Propeller</option>`);

    // Archiving the source later: the edit page still offers it, and saving keeps it.
    await api("DELETE", `/traffic-sources/${source.id}`);
    expect(await (await get(`/admin/campaigns/${campaign.id}`)).text()).toContain("Propeller (archived)");
    const saved = await post(`/admin/campaigns/${campaign.id}`, {
      name: "Renamed",
      [`weight_${offer.id}`]: "1",
      trafficSourceId: String(source.id),
    });
    expect(saved.status).toBe(303);
    const detached = await post(`/admin/campaigns/${campaign.id}`, {
      name: "Renamed",
      [`weight_${offer.id}`]: "1",
      trafficSourceId: "",
    });
    expect(detached.status).toBe(303);
    expect(await (await api("GET", `/campaigns/${campaign.id}`)).json()).toMatchObject({
      name: "Renamed",
      trafficSourceId: null,
      trackingUrl: `${BASE}/c/${campaign.id}`,
    });
  });
});
