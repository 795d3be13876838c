import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyClickId } from "../src/lib/clickid";
import { getVisit } from "../src/visits/queries";
import { api, call, click, eventually, setupCampaign } from "./helpers";
import { getJson } from "./report-helpers";

// docs/costs.md cost models, through the real click and postback routes, against hand-computed costs.

async function stored(clickId: string) {
  const { visitTime } = (await verifyClickId(env.CLICKID_SECRET, clickId))!;
  return eventually(() => getVisit(env.DB, clickId, visitTime), Boolean);
}

/** n clicks, each waited for in D1 (conversions of a visit not stored yet wait for it). */
async function clicks(campaignId: number, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await click(campaignId)).clickId);
  for (const id of ids) await stored(id);
  return ids;
}

async function postback(query: string): Promise<string> {
  const res = await call(`/postback?${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { status: string }).status;
}

const cost = async (campaignId: number) =>
  (await getJson(`/report?campaignId=${campaignId}&groupBy=campaign`)).totals.cost as number;

async function campaignWith(costModel: unknown) {
  const { campaign } = await setupCampaign({ payout: { mode: "auto" } }, { costModel });
  return campaign;
}

describe("cost models (docs/costs.md)", () => {
  it("cpc and cpm cost each visit; none costs nothing; the API returns the model and costPerClick", async () => {
    const cpc = await campaignWith({ type: "cpc", amount: 0.02 });
    const cpm = await campaignWith({ type: "cpm", amount: 1.5 });
    const none = await campaignWith({ type: "none" });
    expect(cpc).toMatchObject({ costModel: { type: "cpc", amount: 0.02 }, costPerClick: 0.02 });
    expect(cpm).toMatchObject({ costModel: { type: "cpm", amount: 1.5 }, costPerClick: null });
    for (const c of [cpc, cpm, none]) await clicks(c.id, 3);
    expect(await cost(cpc.id)).toBe(0.06);
    expect(await cost(cpm.id)).toBe(0.0045); // 3 × 1.5 / 1000
    expect(await cost(none.id)).toBe(0);
  });

  it("cpa costs each approved conversion, following its status changes", async () => {
    const campaign = await campaignWith({ type: "cpa", amount: 10 });
    const [a, b, c] = await clicks(campaign.id, 3);
    expect(await cost(campaign.id)).toBe(0);
    expect(await postback(`cid=${a}&payout=5`)).toBe("accepted");
    expect(await postback(`cid=${b}&payout=5&status=lead`)).toBe("accepted");
    expect(await cost(campaign.id)).toBe(10); // the lead is pending: no cost yet
    expect(await postback(`cid=${b}&status=sale`)).toBe("updated");
    expect(await postback(`cid=${c}&payout=5`)).toBe("accepted");
    expect(await postback(`cid=${c}&payout=5`)).toBe("duplicate");
    expect(await cost(campaign.id)).toBe(30);
    expect(await postback(`cid=${a}&status=chargeback`)).toBe("updated");
    expect(await cost(campaign.id)).toBe(20);
  });

  it("revshare costs a percent of approved revenue, each payout's share rounded on its own", async () => {
    const campaign = await campaignWith({ type: "revshare", percent: 40 });
    const [a, b, c] = await clicks(campaign.id, 3);
    expect(await postback(`cid=${a}&payout=2.50`)).toBe("accepted");
    expect(await postback(`cid=${b}&payout=0.000003`)).toBe("accepted"); // 1.2 micro-units → 1
    expect(await postback(`cid=${c}&payout=1&status=lead`)).toBe("accepted");
    expect(await cost(campaign.id)).toBe(1.000001);
    expect(await postback(`cid=${b}&status=rejected`)).toBe("updated");
    expect(await cost(campaign.id)).toBe(1);
  });

  it("a model change applies to visits from then on: history keeps its cost", async () => {
    const campaign = await campaignWith({ type: "cpc", amount: 0.02 });
    const [early] = await clicks(campaign.id, 2);
    const patched = await api("PATCH", `/campaigns/${campaign.id}`, { costModel: { type: "cpa", amount: 4 } });
    expect(await patched.json()).toMatchObject({ costModel: { type: "cpa", amount: 4 }, costPerClick: null });
    // Terms apply from the next whole second (conversions know their visit's second).
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const [late] = await clicks(campaign.id, 1);
    // The early visit was bought by the click: its conversion adds no CPA; the late one's does.
    expect(await postback(`cid=${early}&payout=3`)).toBe("accepted");
    expect(await postback(`cid=${late}&payout=3`)).toBe("accepted");
    expect(await cost(campaign.id)).toBe(4.04);
  });

  it("refuses a bad model with a 400 naming the field", async () => {
    const { campaign } = await setupCampaign();
    const cases: [unknown, string][] = [
      [{ type: "cpx", amount: 1 }, "costModel.type"],
      [{ type: "cpc" }, "costModel.amount"],
      [{ type: "cpc", amount: -1 }, "costModel.amount"],
      [{ type: "cpm", amount: 1.0001 }, "costModel.amount"],
      [{ type: "revshare", percent: 101 }, "costModel.percent"],
      [{ type: "none", amount: 1 }, "costModel.amount"],
    ];
    for (const [costModel, path] of cases) {
      const res = await api("PATCH", `/campaigns/${campaign.id}`, { costModel });
      expect(res.status, JSON.stringify(costModel)).toBe(400);
      const body = (await res.json()) as { issues: { path: string }[] };
      expect(body.issues.map((i) => i.path)).toContain(path);
    }
    const both = await api("PATCH", `/campaigns/${campaign.id}`, { costModel: { type: "none" }, costPerClick: 1 });
    expect(both.status).toBe(400);
    expect((await getJson(`/campaigns/${campaign.id}`)).costModel).toEqual({ type: "auto", amount: null });
  });
});
