import { env, exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { offeredTools } from "../src/features/mcp/route";
import { TOOLS } from "../src/features/mcp/tools";
import { BASE, call, click, setupCampaign } from "./helpers";
import { getJson, insertConversions, insertVisits } from "./report-helpers";
import { keyOf } from "./teams-helpers";

// The SDK's own client over Streamable HTTP; its fetch is the worker's real fetch handler.
const workerFetch = (url: string | URL, init?: RequestInit) => exports.default.fetch(new Request(url, init));
const clients: Client[] = [];

async function connect(token = env.ADMIN_TOKEN): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${BASE}/mcp`), {
    fetch: workerFetch,
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: "test", version: "1" });
  await client.connect(transport);
  clients.push(client);
  return client;
}

type TextResult = { content: { type: string; text: string }[]; isError?: boolean };
async function callTool(client: Client, name: string, args: Record<string, unknown>) {
  const result = (await client.callTool({ name, arguments: args })) as TextResult;
  const text = result.content.map((c) => c.text).join("");
  return { isError: !!result.isError, text, json: () => JSON.parse(text) };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

let campaign: { id: number; name: string };
let offer: { id: number };

beforeAll(async () => {
  ({ campaign, offer } = await setupCampaign({ name: "MCP offer" }, { name: "MCP campaign" }));
  const pl = await insertVisits(6, {
    campaignId: campaign.id,
    offerId: offer.id,
    at: "2026-06-10T10:00:00Z",
    country: "PL",
  });
  await insertVisits(2, { campaignId: campaign.id, offerId: offer.id, at: "2026-06-10T12:00:00Z", country: "US" });
  await insertConversions([
    { campaignId: campaign.id, offerId: offer.id, clickId: pl[0], at: "2026-06-10T11:00:00Z", payoutMicros: 2_500_000 },
  ]);
});

describe("POST /mcp", () => {
  it("lists its tools to a client, every one read-only, the report's with every dimension", async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "click_lookup",
      "list_campaigns",
      "list_conversions",
      "list_rules",
      "report",
      "rule_firings",
      "rule_preview",
    ]);
    for (const t of tools) expect(t.annotations?.readOnlyHint).toBe(true);
    const report = tools.find((t) => t.name === "report")!;
    const groupBy = report.inputSchema.properties?.groupBy as { enum: string[] };
    expect(groupBy.enum).toEqual(expect.arrayContaining(["campaign", "offer", "country", "day", "hour", "device"]));
    expect(Object.keys(report.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["from", "to", "tz", "campaignId", "country", "orderBy", "limit"]),
    );
  });

  it("reads a report: the same answer as GET /api/report for the same query", async () => {
    const client = await connect();
    const query = { from: "2026-06-10", to: "2026-06-10", tz: "UTC", groupBy: "country", campaignId: campaign.id };
    const viaMcp = await callTool(client, "report", query);
    expect(viaMcp.isError, viaMcp.text).toBe(false);
    const viaApi = await getJson(`/report?${new URLSearchParams({ ...query, campaignId: String(campaign.id) })}`);
    expect(viaMcp.json()).toEqual(viaApi);
    const pl = viaMcp.json().rows.find((r: { key: string }) => r.key === "PL");
    expect(pl).toMatchObject({ visits: 6, conversions: 1, revenue: 2.5 });
    // A filter narrows it, as on the API.
    const us = await callTool(client, "report", { ...query, country: "US" });
    expect(us.json().totals.visits).toBe(2);
  });

  it("refuses a bad report query naming the parameter, like the API", async () => {
    const client = await connect();
    const badDimension = await callTool(client, "report", { from: "2026-06-10", to: "2026-06-10", groupBy: "weather" });
    expect(badDimension.isError, badDimension.text).toBe(true);
    expect(badDimension.text).toContain("groupBy");
    const unknown = await callTool(client, "report", { from: "2026-06-10", to: "2026-06-10", foo: "1" });
    expect(unknown.isError, unknown.text).toBe(true);
    expect(unknown.text).toContain("foo");
  });

  it("looks up a click, lists campaigns and conversions", async () => {
    const client = await connect();
    const { clickId } = await click(campaign.id);
    const lookup = await callTool(client, "click_lookup", { clickId });
    expect(lookup.isError, lookup.text).toBe(false);
    expect(lookup.json().click.clickId).toBe(clickId);
    const campaigns = await callTool(client, "list_campaigns", {});
    expect(campaigns.json().campaigns.map((c: { name: string }) => c.name)).toContain("MCP campaign");
    const conversions = await callTool(client, "list_conversions", {
      from: "2026-06-10",
      to: "2026-06-10",
      campaignId: campaign.id,
    });
    expect(conversions.json().conversions).toHaveLength(1);
    const notOurs = await callTool(client, "click_lookup", { clickId: "nonsense" });
    expect(notOurs.json().found ?? false).toBe(false);
  });

  it("lists rules, previews one with the API's answer and reads its firings", async () => {
    const client = await connect();
    const rule = await (
      await call("/api/rules", {
        method: "POST",
        headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({
          name: "MCP rule",
          campaignIds: [campaign.id],
          dimension: "country",
          window: { hours: 24 },
          conditions: [{ metric: "visits", op: ">=", value: 1 }],
          action: { type: "blocklist" },
        }),
      })
    ).json<{ id: number }>();
    const listed = await callTool(client, "list_rules", {});
    expect(listed.json().rules.map((r: { name: string }) => r.name)).toContain("MCP rule");
    const preview = await callTool(client, "rule_preview", { ruleId: rule.id });
    expect(preview.isError, preview.text).toBe(false);
    const viaApi = await (
      await call(`/api/rules/${rule.id}/preview`, {
        method: "POST",
        headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` },
      })
    ).json<Record<string, unknown>>();
    // The same figures and matches; the window ends at each call's own "now".
    expect({ ...preview.json(), window: undefined }).toEqual({ ...viaApi, window: undefined });
    const firings = await callTool(client, "rule_firings", { ruleId: rule.id });
    expect(firings.isError, firings.text).toBe(false);
    expect(firings.json().ruleId).toBe(rule.id);
    const missing = await callTool(client, "rule_preview", { ruleId: 999_999 });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain("not_found");
  });

  it("is authenticated like /api: no token or a wrong one is a 401, and a client cannot connect", async () => {
    const bare = await call("/mcp", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { code: string }).code).toBe("unauthorized");
    await expect(connect("wrong-token")).rejects.toThrow(/Invalid admin token or API key/);
  });

  it("takes API keys like /api: a viewer's key reads reports; tools that write are offered to writing roles only", async () => {
    const viewer = await keyOf("viewer");
    const client = await connect(viewer.key);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      TOOLS.filter((t) => !t.write)
        .map((t) => t.name)
        .sort(),
    );
    const report = await callTool(client, "report", { from: "2026-06-10", to: "2026-06-10", groupBy: "country" });
    expect(report.isError, report.text).toBe(false);
    // The filter the server applies, with a tool that writes.
    const writing = [...TOOLS, { ...TOOLS[0]!, name: "pause_campaign", write: true }];
    expect(offeredTools(writing, "viewer").map((t) => t.name)).not.toContain("pause_campaign");
    expect(offeredTools(writing, "editor").map((t) => t.name)).toContain("pause_campaign");
    expect(offeredTools(writing, "admin").map((t) => t.name)).toContain("pause_campaign");
  });

  it("keeps no session: GET and DELETE are 405", async () => {
    const headers = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };
    expect((await call("/mcp", { headers })).status).toBe(405);
    expect((await call("/mcp", { method: "DELETE", headers })).status).toBe(405);
  });
});
