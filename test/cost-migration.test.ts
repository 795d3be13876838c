import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { api, createCampaign, createOffer, createTrafficSource } from "./helpers";

/**
 * migrations/0005_costs.sql turns the previous release's cost per click into cost models: a CPC,
 * or auto with that amount where the campaign's source passes a cost (there the price was only
 * the fallback). Run on rows in the old shape: the column 0006 dropped is put back for the test.
 */
it("turns each old cost per click into the model that keeps what its visits cost", async () => {
  const offer = (await createOffer()).id;
  const withCost = await createTrafficSource();
  const withoutCost = await createTrafficSource({ name: "No cost", cost: null });
  const plain = (await createCampaign([{ offerId: offer }], { name: "Plain" })).id;
  const sourced = (await createCampaign([{ offerId: offer }], { name: "Sourced", trafficSourceId: withCost.id })).id;
  const other = (await createCampaign([{ offerId: offer }], { name: "Other", trafficSourceId: withoutCost.id })).id;
  const free = (await createCampaign([{ offerId: offer }], { name: "Free" })).id;

  await env.DB.prepare("ALTER TABLE campaigns ADD cost_per_click_micros integer").run();
  await env.DB.prepare("UPDATE campaigns SET cost_model = NULL").run();
  for (const [id, micros] of [
    [plain, 20_000],
    [sourced, 15_000],
    [other, 30_000],
  ])
    await env.DB.prepare("UPDATE campaigns SET cost_per_click_micros = ?1 WHERE id = ?2").bind(micros, id).run();
  const migration = env.TEST_MIGRATIONS.find((m) => m.name.includes("costs"))!;
  const update = migration.queries.find((q) => q.includes("UPDATE `campaigns` SET `cost_model`"))!;
  await env.DB.prepare(update).run();
  await env.DB.prepare("ALTER TABLE campaigns DROP COLUMN cost_per_click_micros").run();

  const model = async (id: number) => ((await (await api("GET", `/campaigns/${id}`)).json()) as any).costModel;
  expect(await model(plain)).toEqual({ type: "cpc", amount: 0.02 });
  expect(await model(sourced)).toEqual({ type: "auto", amount: 0.015 });
  expect(await model(other)).toEqual({ type: "cpc", amount: 0.03 });
  expect(await model(free)).toEqual({ type: "auto", amount: null });
});
