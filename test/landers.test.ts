import { beforeAll, describe, expect, it } from "vitest";
import { adminSession, api, BASE, created, pageErrors } from "./helpers";

const createLander = (body: Record<string, unknown> = {}) =>
  created(api("POST", "/landers", { name: "Quiz", url: "https://lander.example/quiz?cid={clickid}", ...body }));

describe("/api/landers", () => {
  it("creates, reads, patches and archives a lander", async () => {
    const lander = await createLander({ offerCount: 3 });
    expect(lander).toMatchObject({
      name: "Quiz",
      url: "https://lander.example/quiz?cid={clickid}",
      offerCount: 3,
      archived: false,
    });
    expect(await (await api("GET", `/landers/${lander.id}`)).json()).toEqual(lander);
    // A patch changes only what it names: offerCount is not reset to its default.
    const renamed = await (await api("PATCH", `/landers/${lander.id}`, { name: "Quiz 2" })).json<any>();
    expect(renamed).toMatchObject({ name: "Quiz 2", offerCount: 3 });
    expect(await (await api("DELETE", `/landers/${lander.id}`)).json()).toMatchObject({ archived: true });
    const { landers } = await (await api("GET", "/landers")).json<any>();
    expect(landers.map((l: any) => l.id)).not.toContain(lander.id);
    const all = await (await api("GET", "/landers?archived=1")).json<any>();
    expect(all.landers.map((l: any) => l.id)).toContain(lander.id);
    expect(await (await api("PATCH", `/landers/${lander.id}`, { archived: false })).json()).toMatchObject({
      archived: false,
    });
  });

  it("defaults offerCount to 1", async () => {
    expect(await createLander()).toMatchObject({ offerCount: 1 });
  });

  it.each([
    [{ name: "x", url: "javascript:alert(1)" }, "url"],
    [{ name: "x", url: "ftp://files.example/" }, "url"],
    [{ name: "x", url: "https://{var1}/" }, "url"],
    [{ name: "x", url: "https://lp.example{var1}" }, "url"],
    [{ name: "x", url: "{var1}://lp.example/" }, "url"],
    [{ name: "x", url: "https://user:{var1}@lp.example/" }, "url"],
    [{ name: "x", url: "https:///{var1}/x" }, "url"],
    [{ name: "", url: "https://lp.example/" }, "name"],
    [{ name: "x", url: "https://lp.example/", offerCount: 0 }, "offerCount"],
    [{ name: "x", url: "https://lp.example/", offerCount: 51 }, "offerCount"],
    [{ name: "x", url: "https://lp.example/", offerCount: 1.5 }, "offerCount"],
  ])("rejects %j with a 400 naming %s", async (body, field) => {
    const res = await api("POST", "/landers", body);
    expect(res.status).toBe(400);
    const json = await res.json<any>();
    expect(json.code).toBe("invalid_parameter");
    expect(json.issues.map((i: any) => i.path)).toContain(field);
  });

  it("accepts tokens anywhere after the host", async () => {
    const url = "https://lp.example/{lander.id}/p?c={clickid}#{var1}";
    expect(await createLander({ url })).toMatchObject({ url });
  });

  it("answers 404 for unknown ids and 400 for unknown fields", async () => {
    for (const id of ["999999", "abc", "-1"]) {
      expect((await api("GET", `/landers/${id}`)).status).toBe(404);
      expect((await api("PATCH", `/landers/${id}`, { name: "y" })).status).toBe(404);
      expect((await api("DELETE", `/landers/${id}`)).status).toBe(404);
    }
    const lander = await createLander();
    expect((await api("PATCH", `/landers/${lander.id}`, { colour: "red" })).status).toBe(400);
  });
});

describe("landers admin pages", () => {
  let admin: Awaited<ReturnType<typeof adminSession>>;
  beforeAll(async () => {
    admin = await adminSession();
  });
  const get = (path: string) => admin.get(path);
  const post = (path: string, fields: Record<string, string>) => admin.post(path, fields);

  it("refuses what the API refuses, with the same messages, and stores nothing", async () => {
    const cases: Record<string, string>[] = [
      { name: " ", url: "https://lp.example/", offerCount: "1" },
      { name: "x", url: "https://{var1}.example/", offerCount: "1" },
      { name: "x", url: "https://lp.example/", offerCount: "51" },
      { name: "x", url: "https://lp.example/", offerCount: "two" },
    ];
    const labels: Record<string, string> = { name: "Name", url: "URL", offerCount: "Calls to action" };
    for (const form of cases) {
      const count = /^\d+$/.test(form.offerCount!) ? Number(form.offerCount) : form.offerCount;
      const res = await api("POST", "/landers", { ...form, offerCount: count });
      const { issues } = await res.json<{ issues: { path: string; message: string }[] }>();
      const page = await post("/admin/landers", form);
      expect([res.status, page.status]).toEqual([400, 400]);
      expect(pageErrors(await page.text())).toEqual(issues.map((i) => `${labels[i.path]}: ${i.message}`));
    }
    const { landers } = await (await api("GET", "/landers?archived=1")).json<any>();
    expect(landers.filter((l: any) => l.name === "x")).toEqual([]);
  });

  it("creates a lander through the form and lists its call-to-action URLs", async () => {
    const res = await post("/admin/landers", {
      name: "Form lander",
      url: "https://lp.example/?c={clickid}",
      offerCount: "2",
    });
    expect(res.status).toBe(303);
    const { landers } = await (await api("GET", "/landers")).json<any>();
    const lander = landers.find((l: any) => l.name === "Form lander");
    expect(lander).toMatchObject({ offerCount: 2, url: "https://lp.example/?c={clickid}" });
    expect(await (await get("/admin/landers")).text()).toContain('href="/admin/landers" aria-current="page"');
    const html = await (await get(`/admin/landers/${lander.id}`)).text();
    for (const url of [`${BASE}/click"`, `${BASE}/click/1"`, `${BASE}/click/2"`]) expect(html).toContain(url);
    expect(html).not.toContain(`${BASE}/click/3"`);
  });

  it("shows every invalid field with 400 and creates nothing", async () => {
    const res = await post("/admin/landers", { name: " ", url: "https://{var1}.example/", offerCount: "0" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Name: is required");
    expect(html).toContain("URL: tokens may appear only after the host");
    expect(html).toContain("Calls to action:");
  });

  it("edits and archives a lander", async () => {
    const lander = await createLander({ name: "Editable" });
    expect((await get(`/admin/landers/${lander.id}`)).status).toBe(200);
    const saved = await post(`/admin/landers/${lander.id}`, {
      name: "Edited",
      url: "https://lp.example/e",
      offerCount: "4",
    });
    expect(saved.status).toBe(303);
    expect(await (await api("GET", `/landers/${lander.id}`)).json()).toMatchObject({ name: "Edited", offerCount: 4 });
    expect((await post(`/admin/landers/${lander.id}/archive`, {})).status).toBe(303);
    expect(await (await api("GET", `/landers/${lander.id}`)).json()).toMatchObject({ archived: true });
    expect((await get("/admin/landers/987654")).status).toBe(404);
  });
});
