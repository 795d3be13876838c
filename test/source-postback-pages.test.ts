import { describe, expect, it } from "vitest";
import type { TRAFFIC_SOURCE_TEMPLATES } from "../src/features/traffic-sources/templates";
import { adminSession, api, call, pageErrors } from "./helpers";
import { clickAndStore, convert, sourcedCampaign, standIn, waitForDelivery } from "./source-postback-helpers";

const LOG = "/admin/source-postbacks";

/** A conversion whose delivery the stand-in network answers with `status` once. */
async function deliveryAnswered(status: number, path = "/pb?c={externalid}") {
  const network = standIn();
  await network.script([{ status }]);
  const { campaign } = await sourcedCampaign({ name: "PushNet", postbackUrl: network.url(path) });
  const clickId = await clickAndStore(campaign.id, "?clickid=x1");
  const { conversionId } = await convert(clickId);
  return waitForDelivery(conversionId!, (d) => d.status !== "pending");
}

describe("the source-postback log page", () => {
  it("is in the navigation and shows each delivery's URL, status, attempts and last answer; Retry only on failed ones", async () => {
    const admin = await adminSession();
    const ok = await deliveryAnswered(200);
    const gone = await deliveryAnswered(404, "/pb?c={externalid}&x=<script>alert(1)</script>");
    const html = await (await admin.get(LOG)).text();
    expect(html).toContain(`<a href="${LOG}" aria-current="page">Source postbacks</a>`);
    const row = (id: string) => html.split("<tr>").find((r) => r.includes(id))!;
    expect(row(ok.conversionId)).toContain(ok.url!.replace(/&/g, "&amp;"));
    expect(row(ok.conversionId)).toMatch(/<td>delivered<\/td><td class="num">1<\/td><td>HTTP 200/);
    expect(row(ok.conversionId)).not.toContain("Retry");
    // The source by its name, as the report names it, not by its id.
    expect(row(ok.conversionId)).toMatch(/<a href="\/admin\/traffic-sources\/\d+">PushNet<\/a>/);
    expect(row(gone.conversionId)).toMatch(/<td>failed<\/td><td class="num">1<\/td><td>HTTP 404/);
    expect(row(gone.conversionId)).toContain(`action="${LOG}/${encodeURIComponent(gone.id)}/retry"`);
    // The URL as called, escaped: the network's answer or a template never becomes markup.
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(row(gone.conversionId)).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");

    const failedOnly = await (await admin.get(`${LOG}?status=failed`)).text();
    expect(failedOnly).toContain(gone.conversionId);
    expect(failedOnly).not.toContain(ok.conversionId);
    const bad = await admin.get(`${LOG}?status=lost`);
    expect(bad.status).toBe(400);
    expect(pageErrors(await bad.text())).toEqual([expect.stringMatching(/^Status: /)]);
  });

  it("sends a failed delivery again from its Retry button, behind the session and the same-origin check", {
    timeout: 30_000,
  }, async () => {
    const admin = await adminSession();
    const failed = await deliveryAnswered(404);
    const action = `${LOG}/${encodeURIComponent(failed.id)}/retry`;
    // A form posted from another site (no Origin of ours) is refused; without a session, login.
    expect((await call(action, { method: "POST", headers: { Origin: "https://evil.example" } })).status).toBe(403);
    expect((await call(action, { method: "POST" })).status).not.toBe(303);

    const res = await admin.post(action, {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${LOG}?${new URLSearchParams({ retried: failed.id })}`);
    expect(await (await admin.get(res.headers.get("location")!)).text()).toContain(
      `Delivery ${failed.id} is queued again.`,
    );
    const delivered = await waitForDelivery(failed.conversionId, (d) => d.status === "delivered");
    expect(delivered).toMatchObject({ attempts: 2, lastHttpStatus: 200 });

    const twice = await admin.post(action, {});
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain("Only a failed delivery can be retried; this one is delivered");
    expect((await admin.post(`${LOG}/nope/retry`, {})).status).toBe(404);
    // A made-up id in the link is not announced as queued.
    expect(await (await admin.get(`${LOG}?retried=made-up`)).text()).not.toContain("queued again");
  });
});

describe("traffic source templates", () => {
  it("lists each template with its documentation; each one's source is a valid new traffic source", async () => {
    expect((await call("/api/traffic-source-templates")).status).toBe(401);
    const res = await api("GET", "/traffic-source-templates");
    expect(res.status).toBe(200);
    const { templates } = await res.json<{ templates: typeof TRAFFIC_SOURCE_TEMPLATES }>();
    expect(templates.map((t) => t.id)).toEqual(["trafficstars", "exoclick", "mgid", "adsterra", "clickadu"]);
    for (const t of templates) {
      expect(t.docs.length, t.id).toBeGreaterThan(0);
      for (const placeholder of t.replace) expect(JSON.stringify(t.source), t.id).toContain(placeholder);
      const made = await api("POST", "/traffic-sources", t.source);
      const body = await made.json<{ postbackUrl: string | null; externalId: unknown }>();
      expect(made.status, `${t.id}: ${JSON.stringify(body)}`).toBe(201);
      expect(body.postbackUrl).toBe(t.source.postbackUrl ?? null);
      expect(body.externalId).toEqual(t.source.externalId);
    }
    // The report has its own Campaign dimension: no template names a var slot the same.
    const aliases = templates.flatMap((t) => (t.source.variables ?? []).map((v) => v.alias?.toLowerCase()));
    expect(aliases).not.toContain("campaign");
  });

  it("fills the new-source form from the chosen template, naming what to replace", async () => {
    const admin = await adminSession();
    const html = await (await admin.get("/admin/traffic-sources?template=trafficstars")).text();
    expect(html).toContain('<option value="trafficstars" selected="">TrafficStars</option>');
    expect(html).toContain('name="name" value="TrafficStars"');
    expect(html).toContain('name="externalIdPlaceholder" value="{click_id}"');
    expect(html).toContain('name="var1Placeholder" value="{site_id}"');
    expect(html).toContain(
      'value="https://tsyndicate.com/api/v1/cpa/action?clickid={externalid}&amp;value={payout}&amp;key=YOUR_TRAFFICSTARS_KEY"',
    );
    expect(html).toContain("Replace YOUR_TRAFFICSTARS_KEY with your account&#39;s values.");
    expect(html).toContain('href="https://trafficstars.com/faq/articles/how-to-set-up-tracking-conversions"');

    const plain = await (await admin.get("/admin/traffic-sources?template=nope")).text();
    expect(plain).toContain('name="name" value=""');
    expect(plain).not.toContain("Filled in from");
  });
});
