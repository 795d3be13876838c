import { beforeAll, describe, expect, it } from "vitest";
import { adminSession, api, pageErrors } from "./helpers";

// One rule, two doors: PATCH /api/settings and the settings form refuse the same values with the
// same message (the form's line is the field's label, then the API's issue message), and store
// the same normalized value.
let admin: Awaited<ReturnType<typeof adminSession>>;
beforeAll(async () => {
  admin = await adminSession();
});

const settings = async () => (await api("GET", "/settings")).json<Record<string, unknown>>();
const FORM = { postbackSecret: "", postbackAllowedIps: "", timezone: "UTC" };

/** Both doors refuse: 400 from each, the form's line = label + the API's message, nothing stored. */
async function refusedByBoth(apiBody: Record<string, unknown>, form: Record<string, string>, label: string) {
  const before = await settings();
  const res = await api("PATCH", "/settings", apiBody);
  const body = await res.json<{ issues: { path: string; message: string }[] }>();
  expect(res.status, JSON.stringify(apiBody)).toBe(400);
  const page = await admin.post("/admin/settings", { ...FORM, ...form });
  expect(page.status, JSON.stringify(form)).toBe(400);
  expect(pageErrors(await page.text())).toEqual(body.issues.map((i) => `${label}: ${i.message}`));
  expect(await settings()).toEqual(before);
  return body.issues;
}

describe("time zone", () => {
  it("+02:00 and other non-zones are refused by the API and the form alike", async () => {
    for (const tz of ["+02:00", "-05:30", "+0200", "Mars/Olympus", "", "UTC+2"]) {
      const issues = await refusedByBoth({ timezone: tz }, { timezone: tz }, "Time zone");
      expect(issues, tz).toEqual([{ path: "timezone", message: expect.stringMatching(/IANA time zone/) }]);
    }
  });

  it("an IANA zone saved through either door is the zone the report uses", async () => {
    expect((await api("PATCH", "/settings", { timezone: "Asia/Kolkata" })).status).toBe(200);
    expect((await (await api("GET", "/report")).json<{ tz: string }>()).tz).toBe("Asia/Kolkata");
    expect((await admin.post("/admin/settings", { ...FORM, timezone: " Europe/Warsaw " })).status).toBe(303);
    expect((await (await api("GET", "/report")).json<{ tz: string }>()).tz).toBe("Europe/Warsaw");
    expect((await api("PATCH", "/settings", { timezone: " America/St_Johns " })).status).toBe(200);
    expect((await settings()).timezone).toBe("America/St_Johns");
  });
});

describe("postback IP allow-list", () => {
  it("refuses the same entries with the same message through both doors", async () => {
    for (const bad of ["10.0.0.0/33", "127.1", "2001:db8::/129", "example.com"]) {
      await refusedByBoth(
        { postbackAllowedIps: ["203.0.113.0/24", bad] },
        { postbackAllowedIps: `203.0.113.0/24\n${bad}` },
        "Allowed IPs",
      );
    }
  });

  it("at most 100 entries as given, through both doors", async () => {
    const list = Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`);
    const issues = await refusedByBoth(
      { postbackAllowedIps: list },
      { postbackAllowedIps: list.join("\n") },
      "Allowed IPs",
    );
    expect(issues).toEqual([{ path: "postbackAllowedIps", message: "at most 100 ranges" }]);
  });

  it("normalizes and de-duplicates the same way through both doors", async () => {
    const entries = ["2001:DB8::1", "198.51.100.7", "203.0.113.0/24", "198.51.100.7/32"];
    const expected = ["2001:db8::1/128", "198.51.100.7/32", "203.0.113.0/24"];
    expect(await (await api("PATCH", "/settings", { postbackAllowedIps: entries })).json()).toMatchObject({
      postbackAllowedIps: expected,
    });
    await api("PATCH", "/settings", { postbackAllowedIps: [] });
    expect((await admin.post("/admin/settings", { ...FORM, postbackAllowedIps: entries.join(", ") })).status).toBe(303);
    expect((await settings()).postbackAllowedIps).toEqual(expected);
  });
});

describe("postback log statuses", () => {
  it("the page offers exactly the statuses the API filters by, and both refuse any other", async () => {
    const page = await (await admin.get("/admin/postbacks")).text();
    const offered = [...page.matchAll(/status=(\w+)/g)].map((m) => m[1]!);
    expect(offered).toEqual(["accepted", "updated", "duplicate", "rejected", "refused", "error"]);
    for (const status of offered) expect((await api("GET", `/postbacks?status=${status}`)).status, status).toBe(200);

    const res = await api("GET", "/postbacks?status=bogus");
    expect(res.status).toBe(400);
    const { issues } = await res.json<{ issues: { path: string; message: string }[] }>();
    expect(issues).toEqual([{ path: "status", message: expect.stringContaining('"refused"') }]);
    const refused = await admin.get("/admin/postbacks?status=bogus");
    expect(refused.status).toBe(400);
    expect(pageErrors(await refused.text())).toEqual([`Result: ${issues[0]!.message}`]);
  });
});
