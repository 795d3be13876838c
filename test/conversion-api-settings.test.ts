import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { openConversionApi, sealConversionApi } from "../src/delivery/platforms/store";
import { getConfig } from "../src/lib/config";
import { conversionApiSchema } from "../src/model/conversion-api";
import { apiCampaign, callsOf, GOOGLE, META, platform, TIKTOK, visit } from "./conversion-api-helpers";
import { adminSession, api, created, pageErrors } from "./helpers";
import { convert, waitForDelivery } from "./source-postback-helpers";

let get: (path: string) => Promise<Response>;
let post: (path: string, fields: Record<string, string>) => Promise<Response>;
beforeAll(async () => {
  ({ get, post } = await adminSession());
});

const SECRETS = [
  "EAAB-meta-secret-token",
  "tiktok-secret-token",
  "google-dev-token",
  "google-client-secret",
  "1//google-refresh-token",
];
const storedRow = (id: number) =>
  env.DB.prepare("SELECT conversion_api, conversion_api_secrets FROM traffic_sources WHERE id = ?1")
    .bind(id)
    .first<{ conversion_api: string | null; conversion_api_secrets: string | null }>();
const count = async () => (await env.DB.prepare("SELECT count(*) AS n FROM traffic_sources").first<{ n: number }>())!.n;

describe("conversionApi on traffic sources", () => {
  it("takes each platform's shape; answers show 'set' for secrets, and D1 holds them only sealed", async () => {
    for (const shape of [
      META("https://proxy.example"),
      TIKTOK("https://proxy.example/"),
      GOOGLE("https://proxy.example"),
    ]) {
      const source = await created(api("POST", "/traffic-sources", { name: "Ads", conversionApi: shape }));
      const expected = Object.fromEntries(
        Object.entries(shape).map(([k, v]) => [k, typeof v === "string" && SECRETS.includes(v) ? "set" : v]),
      );
      expect(source.conversionApi).toEqual({
        ...expected,
        endpoint: "https://proxy.example",
        ...(shape.type === "google" && { customerId: "1234567890" }),
      });
      expect((await (await api("GET", `/traffic-sources/${source.id}`)).json<any>()).conversionApi).toEqual(
        source.conversionApi,
      );
      const row = await storedRow(source.id);
      expect(row!.conversion_api_secrets).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
      for (const secret of SECRETS) expect(JSON.stringify(row)).not.toContain(secret);
    }
  });

  it("refuses a missing secret, an unknown key or type, a malformed ID or endpoint, naming the field; stores nothing", async () => {
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...META("https://x.example"), accessToken: undefined }, "conversionApi.accessToken"],
      [{ ...META("https://x.example"), pixel: "1" }, "conversionApi.pixel"],
      [{ type: "bing", accessToken: "x" }, "conversionApi.type"],
      [{ ...GOOGLE("https://x.example"), customerId: "12345" }, "conversionApi.customerId"],
      [{ ...TIKTOK("ftp://x.example") }, "conversionApi.endpoint"],
      [{ ...META("https://x.example"), eventNames: { default: "" } }, "conversionApi.eventNames.default"],
    ];
    for (const [conversionApi, path] of cases) {
      const res = await api("POST", "/traffic-sources", { name: "Bad", conversionApi });
      const body = await res.json<any>();
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(body.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    for (const postbackStatuses of [[], ["sale"]]) {
      const res = await api("POST", "/traffic-sources", { name: "Bad", postbackStatuses });
      expect(res.status).toBe(400);
      expect((await res.json<any>()).issues[0].path).toMatch(/^postbackStatuses/);
    }
    expect(await count()).toBe(before);
  });

  it("keeps a secret a PATCH leaves out: the next delivery still carries the token first given", async () => {
    const meta = platform();
    const { source, campaign } = await apiCampaign(META(meta.endpoint));
    const patched = await api("PATCH", `/traffic-sources/${source.id}`, {
      conversionApi: { type: "meta", pixelId: "555", endpoint: meta.endpoint },
    });
    expect(patched.status).toBe(200);
    expect((await patched.json<any>()).conversionApi).toMatchObject({ pixelId: "555", accessToken: "set" });
    expect((await api("PATCH", `/traffic-sources/${source.id}`, { name: "Renamed" })).status).toBe(200);
    // Another platform needs its own secrets.
    const other = await api("PATCH", `/traffic-sources/${source.id}`, {
      conversionApi: { type: "tiktok", pixelCode: "C4X" },
    });
    expect(other.status).toBe(400);
    expect((await other.json<any>()).issues).toEqual([{ path: "conversionApi.accessToken", message: "is required" }]);

    const { clickId } = await visit(campaign.id, "?fbclid=fb-kept");
    const { conversionId } = await convert(clickId);
    await waitForDelivery(conversionId!, (d) => d.status === "delivered");
    const [call] = await callsOf(meta, 1);
    expect(call!.path).toBe("/v25.0/555/events");
    expect(call!.query.access_token).toBe("EAAB-meta-secret-token");
    // The log page names the platform and the URL called, never the token.
    const log = await (await get("/admin/source-postbacks")).text();
    expect(log).toContain(`Meta Conversions API: ${meta.endpoint}/v25.0/555/events`);
    expect(log).not.toContain("EAAB-meta-secret-token");
  });
});

describe("SECRETS_KEY", () => {
  it("without it a conversion API cannot be saved (503 naming it); under another key stored tokens do not open", async () => {
    const config = getConfig(env);
    const input = conversionApiSchema.parse(META("https://x.example"))!;
    await expect(sealConversionApi({ ...config, secretsKey: null }, input, null)).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining("SECRETS_KEY is not set"),
    });
    const stored = await sealConversionApi(config, input, null);
    expect(await openConversionApi(config, stored)).toMatchObject({ accessToken: "EAAB-meta-secret-token" });
    await expect(
      openConversionApi({ ...config, secretsKey: "another-key-of-thirty-two-chars!!" }, stored),
    ).rejects.toThrow();
    // A save under the new key asks for the secret again instead of keeping an unreadable one.
    const { accessToken: _, ...withoutToken } = input as { accessToken?: string };
    await expect(
      sealConversionApi(
        { ...config, secretsKey: "another-key-of-thirty-two-chars!!" },
        withoutToken as typeof input,
        stored,
      ),
    ).rejects.toMatchObject({ status: 400, issues: [{ path: "conversionApi.accessToken", message: "is required" }] });
  });
});

describe("the traffic source form's Conversion API section", () => {
  it("shows the settings but never a secret, keeps blank secrets on save, and sends a test event with the code", async () => {
    const meta = platform();
    const { source } = await apiCampaign(META(meta.endpoint, { testEventCode: "TEST123" }));
    const page = await (await get(`/admin/traffic-sources/${source.id}`)).text();
    expect(page).toContain("Conversion API");
    expect(page).toContain('name="meta.pixelId" value="123456789012345"');
    expect(page).toContain('placeholder="set: leave blank to keep"');
    expect(page).toContain("Send a test event");
    expect(page).not.toContain("EAAB-meta-secret-token");
    expect(await (await get("/admin/traffic-sources")).text()).toContain("conversion API: Meta");

    const saved = await post(`/admin/traffic-sources/${source.id}`, {
      name: "Meta ads",
      postbackFor: "conversions",
      "postbackStatus.shown": "1",
      "postbackStatus.approved": "on",
      "capi.type": "meta",
      "meta.pixelId": "123456789012345",
      "meta.accessToken": "",
      "meta.testEventCode": "TEST123",
      "capi.endpoint": meta.endpoint,
      "capi.eventNames": "default = Purchase",
    });
    expect(saved.status, pageErrors(await saved.clone().text()).join()).toBe(303);
    const after = await (await api("GET", `/traffic-sources/${source.id}`)).json<any>();
    expect(after).toMatchObject({
      name: "Meta ads",
      conversionApi: { accessToken: "set", eventNames: { default: "Purchase" } },
    });

    const test = await post(`/admin/traffic-sources/${source.id}/test-event`, {});
    const html = await test.text();
    expect(test.status, html).toBe(200);
    expect(html).toContain("Sent: look for Purchase under Test events with code TEST123");
    const [call] = await callsOf(meta, 1);
    expect(call!.problems).toEqual([]);
    expect(call!.body.test_event_code).toBe("TEST123");
    expect(call!.query.access_token).toBe("EAAB-meta-secret-token");
  });

  it("asks for a test event code before sending one to Meta or TikTok; Google's test is validateOnly", async () => {
    const tiktok = platform();
    const noCode = await apiCampaign(TIKTOK(tiktok.endpoint));
    const refused = await post(`/admin/traffic-sources/${noCode.source.id}/test-event`, {});
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Set a test event code first");
    expect(await tiktok.calls()).toEqual([]);

    const google = platform();
    const g = await apiCampaign(GOOGLE(google.endpoint));
    const checked = await post(`/admin/traffic-sources/${g.source.id}/test-event`, {});
    expect(checked.status).toBe(200);
    const calls = await callsOf(google, 2);
    expect(calls[1]!.body.validateOnly).toBe(true);
  });
});
