import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SOURCE_POSTBACK_DLQ, SOURCE_POSTBACK_QUEUE } from "../src/delivery/consumer";
import { queueNotification } from "../src/features/rules/notify";
import worker from "../src/index";
import { getDb } from "../src/lib/db";
import { api, call, created, createOffer, eventually } from "./helpers";
import { convertVisit, deadZones, json, newCampaign, pauseOffers, zoneVisits } from "./rules-helpers";
import { consume, standIn } from "./source-postback-helpers";

const deliveries = async (ruleId: number) => (await json(api("GET", `/rules/${ruleId}/log`))).deliveries;

describe("the pause action", () => {
  it("takes an offer out of the rotation, but never the last live one", async () => {
    const x = await createOffer({ url: "https://x.example/?c={clickid}" });
    const y = await createOffer({ url: "https://y.example/?c={clickid}" });
    const campaign = await created(
      api("POST", "/campaigns", {
        name: "Two",
        offers: [
          { offerId: x.id, weight: 50 },
          { offerId: y.id, weight: 50 },
        ],
      }),
    );
    await zoneVisits(campaign.id, x.id, "a", 6, { cost: 1 });
    await zoneVisits(campaign.id, y.id, "a", 5, { cost: 1 });
    const rule = await pauseOffers(campaign.id, { metric: "conversions", op: "=", value: 0 });
    const preview = await json(api("POST", `/rules/${rule.id}/preview`));
    expect(preview.actions.map((a: { result: string }) => a.result)).toEqual([
      "would pause",
      "skipped: the last live offer of the campaign",
    ]);
    const run = await json(api("POST", `/rules/${rule.id}/run`));
    expect(run.actions.map((a: { key: string; result: string }) => [a.key, a.result])).toEqual([
      [String(x.id), "paused"],
      [String(y.id), "skipped: the last live offer of the campaign"],
    ]);
    const shown = await json(api("GET", `/campaigns/${campaign.id}`));
    expect(shown.offers).toEqual([
      { offerId: x.id, weight: 50 },
      { offerId: y.id, weight: 50 },
    ]);
    expect(shown.effectiveWeights.offers).toEqual([
      { offerId: x.id, weight: 0, share: 0 },
      { offerId: y.id, weight: 50, share: 1 },
    ]);
    for (let i = 0; i < 10; i++)
      expect(new URL((await call(`/c/${campaign.id}`)).headers.get("location")!).host).toBe("y.example");
    const log = await json(api("GET", `/rules/${rule.id}/log`));
    expect(log.firings.map((f: { result: string }) => f.result).sort()).toEqual([
      "paused",
      "skipped: the last live offer of the campaign",
    ]);
  });
});

describe("the notify action", () => {
  it("posts the documented JSON once to the webhook through the queue", async () => {
    const hook = standIn();
    const { offer, campaign } = await newCampaign();
    await zoneVisits(campaign.id, offer.id, "z1", 5, { cost: 2 });
    const rule = await created(
      api("POST", "/rules", deadZones([campaign.id], { type: "notify", url: hook.url("/hook") })),
    );
    const run = await json(api("POST", `/rules/${rule.id}/run`));
    expect(run.actions[0].result).toMatch(/^notification \d+ queued for 127\.0\.0\.1:\d+$/);
    await json(api("POST", `/rules/${rule.id}/run`)); // still matching: no second call
    const done = await eventually(
      () => deliveries(rule.id),
      (d) => d[0]?.status === "delivered",
      25_000,
    );
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ status: "delivered", attempts: 1, lastHttpStatus: 200 });
    const calls = await hook.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: "POST", contentType: "application/json" });
    const body = JSON.parse(calls[0]!.body!);
    expect(Object.keys(body).sort()).toEqual(["campaignId", "dimension", "firedAt", "matches", "rule"]);
    expect(body).toMatchObject({
      rule: { id: rule.id, name: "Cut dead zones" },
      campaignId: campaign.id,
      dimension: "var1",
    });
    expect(body.matches).toEqual([
      { key: "z1", label: "z1", visits: 5, clicks: 0, conversions: 0, revenue: 0, cost: 10, profit: -10, roi: -1 },
    ]);
    expect(new Date(body.firedAt).toISOString()).toBe(body.firedAt);
  });

  async function stored(url: string) {
    const { campaign } = await newCampaign();
    const rule = await created(api("POST", "/rules", deadZones([campaign.id], { type: "notify", url })));
    const payload = {
      rule: { id: rule.id, name: rule.name },
      campaignId: campaign.id,
      dimension: "var1",
      matches: [],
      firedAt: "x",
    };
    const id = await queueNotification(
      getDb(env.DB),
      undefined,
      { ruleId: rule.id, campaignId: campaign.id, url, payload },
      Date.now(),
    );
    return { rule, id };
  }

  it("retries a 5xx with the source-postback schedule, then delivers", async () => {
    const hook = standIn();
    const { rule, id } = await stored(hook.url("/hook"));
    await hook.script([{ status: 503 }]);
    const first = await consume(SOURCE_POSTBACK_QUEUE, [{ kind: "rule-notify", id }], 1);
    expect(first.retryMessages).toEqual([{ msgId: "msg-0", delaySeconds: 10 }]);
    expect((await deliveries(rule.id))[0]).toMatchObject({ status: "pending", attempts: 1, lastHttpStatus: 503 });
    const second = await consume(SOURCE_POSTBACK_QUEUE, [{ kind: "rule-notify", id }], 2);
    expect(second.explicitAcks).toEqual(["msg-0"]);
    expect((await deliveries(rule.id))[0]).toMatchObject({ status: "delivered", attempts: 2, lastHttpStatus: 200 });
  });

  it("shares a batch with source postbacks: each kind goes to its own consumer", async () => {
    const hook = standIn();
    const { rule, id } = await stored(hook.url("/hook"));
    const result = await consume(SOURCE_POSTBACK_QUEUE, [{ kind: "rule-notify", id }, { id: "no-such-delivery" }]);
    expect(result.explicitAcks.sort()).toEqual(["msg-0", "msg-1"]);
    expect((await deliveries(rule.id))[0]).toMatchObject({ status: "delivered" });
  });

  it("does not retry a 4xx, and a dead letter fails the delivery", async () => {
    const hook = standIn();
    const { rule, id } = await stored(hook.url("/hook"));
    await hook.script([{ status: 404 }]);
    const result = await consume(SOURCE_POSTBACK_QUEUE, [{ kind: "rule-notify", id }]);
    expect(result.retryMessages).toEqual([]);
    expect((await deliveries(rule.id))[0]).toMatchObject({ status: "failed", attempts: 1, lastHttpStatus: 404 });
    expect(await hook.calls()).toHaveLength(1);

    const other = await stored(hook.url("/down"));
    await consume(SOURCE_POSTBACK_DLQ, [{ kind: "rule-notify", id: other.id }]);
    expect((await deliveries(other.rule.id))[0]).toMatchObject({ status: "failed" });
  });
});

describe("the cron", () => {
  async function cron() {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
  }

  it("runs enabled rules only", async () => {
    const { offer, campaign } = await newCampaign();
    await zoneVisits(campaign.id, offer.id, "cron", 5, { cost: 1 });
    const off = await created(api("POST", "/rules", { ...deadZones([campaign.id]), enabled: false }));
    await cron();
    expect((await json(api("GET", `/rules/${off.id}/log`))).firings).toEqual([]);
    await json(api("PATCH", `/rules/${off.id}`, { enabled: true }));
    await cron();
    expect(await json(api("GET", `/campaigns/${campaign.id}/blocklist`))).toEqual({ var1: ["cron"] });
  });

  it("learns weights for a campaign with optimize: the converting offer gets most traffic", async () => {
    const a = await createOffer();
    const b = await createOffer();
    const campaign = await created(
      api("POST", "/campaigns", {
        name: "Learns",
        offers: [
          { offerId: a.id, weight: 100 },
          { offerId: b.id, weight: 100 },
        ],
        optimize: { metric: "cr", windowHours: 24, minShare: 0.05 },
      }),
    );
    expect(campaign.optimize).toEqual({ metric: "cr", windowHours: 24, minShare: 0.05 });
    const va = await zoneVisits(campaign.id, a.id, "", 400);
    const vb = await zoneVisits(campaign.id, b.id, "", 400);
    for (const id of va.slice(0, 40)) await convertVisit(campaign.id, a.id, id);
    for (const id of vb.slice(0, 4)) await convertVisit(campaign.id, b.id, id);
    const before = await json(api("GET", `/campaigns/${campaign.id}`));
    expect(before.effectiveWeights).toMatchObject({ learnedAt: null, offers: [{ share: 0.5 }, { share: 0.5 }] });
    await cron();
    const after = await json(api("GET", `/campaigns/${campaign.id}`));
    expect(after.effectiveWeights.learnedAt).not.toBeNull();
    const [sa, sb] = after.effectiveWeights.offers.map((o: { share: number }) => o.share);
    expect(sa).toBeGreaterThan(0.8);
    expect(sb).toBeGreaterThanOrEqual(0.05);
    const history = await json(api("GET", `/campaigns/${campaign.id}/weights`));
    expect(history.history).toHaveLength(1);
    expect(Object.keys(history.history[0].weights.offers)).toEqual([String(a.id), String(b.id)]);
    await json(api("GET", `/campaigns/${campaign.id}/weights?from=nonsense`), 400);
  });

  it("learns a flow path's offers when the path has optimize", async () => {
    const a = await createOffer();
    const b = await createOffer();
    const flow = {
      defaultPaths: [
        {
          name: "Main",
          offers: [{ offerId: a.id }, { offerId: b.id }],
          optimize: { metric: "epc" },
        },
      ],
    };
    const campaign = await created(api("POST", "/campaigns", { name: "Flow learns", flow }));
    expect(campaign.flow.defaultPaths[0].optimize).toEqual({ metric: "epc", windowHours: 72, minShare: 0.05 });
    await cron();
    const shown = await json(api("GET", `/campaigns/${campaign.id}`));
    const path = shown.effectiveWeights.paths[0];
    expect(path.pathId).toBe(campaign.flow.defaultPaths[0].id);
    expect(path.offers.map((o: { share: number }) => o.share)).toEqual([0.5, 0.5]);
    expect(shown.effectiveWeights.learnedAt).not.toBeNull();
  });
});
