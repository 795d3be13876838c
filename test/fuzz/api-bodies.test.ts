import { describe, expect, it } from "vitest";
import { ADMIN, api, call, createOffer } from "../helpers";
import { amount, body, goodUrlTemplate, jsonJunk, name, number, text, urlTemplate } from "./arbitraries";
import { bodyOf, expectHandled, expectRepeatAlike, fc, fuzzParams, fuzzTimeout, send, stored } from "./harness";

const RUNS = 30;

const payout = {
  valid: fc.oneof(
    fc.constant({ mode: "auto" }),
    amount.map((a) => ({ mode: "manual", amount: a })),
  ),
  any: fc.oneof(
    number.map((a) => ({ mode: "manual", amount: a })),
    fc.record(
      { mode: fc.constantFrom("auto", "manual", "other"), amount: fc.oneof(number, text) },
      { requiredKeys: [] },
    ),
    jsonJunk,
  ),
};
const offerFields = {
  name: { valid: name, any: text },
  url: { valid: goodUrlTemplate, any: urlTemplate },
  payout,
};
const offerBody = body(offerFields);
const costModel = fc.oneof(
  fc.constantFrom("cpc", "cpa", "auto").chain((type) => amount.map((a) => ({ type, amount: Math.abs(a) }))),
  fc.integer({ min: 0, max: 1_000_000 }).map((n) => ({ type: "cpm", amount: n / 1000 })),
  fc.integer({ min: 0, max: 1_000_000 }).map((n) => ({ type: "revshare", percent: n / 10_000 })),
  fc.constant({ type: "none" }),
);
const costModelJunk = fc.record(
  {
    type: fc.oneof(fc.constantFrom("cpc", "cpm", "cpa", "revshare", "auto", "none"), text),
    amount: fc.oneof(number, text),
    percent: number,
  },
  { requiredKeys: [] },
);
const typeName = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);

describe("fuzzing the admin API bodies", () => {
  it(
    "POST /api/offers: 201 stores exactly what it answers, anything else stores nothing",
    async () => {
      await fc.assert(
        fc.asyncProperty(offerBody, async (input) => {
          const { status, json, before } = await send("POST", "/offers", input, [201]);
          if (status !== 201) return;
          expect(await (await api("GET", `/offers/${json.id}`)).json()).toEqual(json);
          // Offers have no unique key, so the same body again is a second offer.
          const again = await api("POST", "/offers", input);
          expect(again.status).toBe(201);
          expect((await stored()).offers.length).toBe(before.offers.length + 2);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  it(
    "PATCH /api/offers/:id: a refusal leaves the offer as it was; the same patch twice answers alike",
    async () => {
      const offer = await createOffer();
      await fc.assert(
        fc.asyncProperty(body({ ...offerFields, archived: { valid: fc.boolean(), any: jsonJunk } }), async (input) => {
          const { status, json } = await send("PATCH", `/offers/${offer.id}`, input, [200]);
          if (status !== 200) return;
          await expectRepeatAlike("PATCH", `/offers/${offer.id}`, input, { status, json });
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  /** Campaign bodies over two real offers, for POST and PATCH alike. */
  async function campaignFields() {
    const offers = [await createOffer(), await createOffer()];
    const ids = offers.map((o) => o.id as number);
    const validOffers = fc
      .uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 2 })
      .chain((list) =>
        fc.tuple(...list.map((offerId) => fc.integer({ min: 1, max: 10_000 }).map((weight) => ({ offerId, weight })))),
      );
    const entry = body({
      offerId: { valid: fc.constantFrom(...ids), any: fc.oneof(number, text, fc.constant(999_999)) },
      weight: {
        valid: fc.integer({ min: 0, max: 10_000 }),
        any: fc.oneof(fc.integer({ min: -1, max: 10_001 }), number),
      },
    });
    return {
      name: { valid: name, any: text },
      offers: { valid: validOffers, any: fc.oneof(fc.array(entry, { maxLength: 4 }), jsonJunk) },
      costPerClick: { valid: fc.oneof(amount.map(Math.abs), fc.constant(null)), any: number },
      costModel: { valid: costModel, any: fc.oneof(costModelJunk, jsonJunk) },
    };
  }

  it(
    "POST /api/campaigns: offers lists of every shape",
    async () => {
      await fc.assert(
        fc.asyncProperty(body(await campaignFields()), async (value) => {
          const { status, json } = await send("POST", "/campaigns", value, [201]);
          if (status === 201) {
            // GET adds the weights in use (learned or configured), which a create has not chosen yet.
            const { effectiveWeights: _, ...got } = (await (
              await api("GET", `/campaigns/${json.id}`)
            ).json()) as Record<string, unknown>;
            expect(got).toEqual(json);
          }
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  it(
    "PATCH /api/campaigns/:id: a refusal leaves the campaign as it was; the same patch twice answers alike",
    async () => {
      const fields = await campaignFields();
      const { id } = (await (
        await api("POST", "/campaigns", { name: "C", offers: [{ offerId: (await createOffer()).id, weight: 1 }] })
      ).json()) as { id: number };
      await fc.assert(
        fc.asyncProperty(body({ ...fields, archived: { valid: fc.boolean(), any: jsonJunk } }), async (input) => {
          const { status, json } = await send("PATCH", `/campaigns/${id}`, input, [200]);
          if (status !== 200) return;
          await expectRepeatAlike("PATCH", `/campaigns/${id}`, input, { status, json });
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  it(
    "POST /api/conversion-types: a name accepted once is a 409 the second time",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          body({ name: { valid: typeName, any: text }, includeInConversions: { valid: fc.boolean(), any: jsonJunk } }),
          async (input) => {
            const { status } = await send("POST", "/conversion-types", input, [201]);
            if (status !== 201) return;
            const before = await stored();
            const again = await api("POST", "/conversion-types", input);
            const json = await bodyOf(again);
            expectHandled(again.status, json, input);
            expect(again.status).toBe(409);
            expect(await stored()).toEqual(before);
          },
        ),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  it(
    "PATCH /api/conversion-types/:id: renames, taken names (409) and junk; the same patch twice answers alike",
    async () => {
      const mine = (await (await api("POST", "/conversion-types", { name: "mine" })).json()) as { id: number };
      await api("POST", "/conversion-types", { name: "taken" });
      const patchName = fc.oneof(typeName, fc.constantFrom("taken", "mine", "Taken"));
      const fields = {
        name: { valid: patchName, any: text },
        includeInConversions: { valid: fc.boolean(), any: jsonJunk },
        archived: { valid: fc.boolean(), any: jsonJunk },
      };
      await fc.assert(
        fc.asyncProperty(body(fields), async (input) => {
          const { status, json } = await send("PATCH", `/conversion-types/${mine.id}`, input, [200]);
          await expectRepeatAlike("PATCH", `/conversion-types/${mine.id}`, input, { status, json });
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  it(
    "PATCH /api/settings: a refusal changes nothing; the same patch twice answers alike",
    async () => {
      const cidr = fc.oneof(
        fc.ipV4(),
        fc.ipV6(),
        fc.ipV4().map((ip) => `${ip}/24`),
        text,
      );
      const validCidr = fc.oneof(
        fc.ipV4(),
        fc.ipV6(),
        fc.ipV4().map((ip) => `${ip}/24`),
      );
      const input = body({
        postbackSecret: { valid: fc.oneof(fc.string({ maxLength: 40 }), fc.constant(null)), any: text },
        postbackAllowedIps: {
          valid: fc.array(validCidr, { maxLength: 3 }),
          any: fc.oneof(fc.array(cidr, { maxLength: 3 }), jsonJunk),
        },
        timezone: {
          valid: fc.constantFrom("UTC", "Europe/Warsaw", "America/St_Johns", "Asia/Kathmandu"),
          any: fc.oneof(fc.constant("Mars/Olympus"), text),
        },
      });
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          const { status, json } = await send("PATCH", "/settings", value, [200]);
          if (status !== 200) return;
          await expectRepeatAlike("PATCH", "/settings", value, { status, json });
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  it(
    "any body bytes under any Content-Type: never a 5xx, nothing stored unless accepted",
    async () => {
      const route = fc.constantFrom(
        ["POST", "/offers"],
        ["POST", "/campaigns"],
        ["POST", "/conversion-types"],
        ["PATCH", "/settings"],
      );
      const contentType = fc.constantFrom(
        "application/json",
        "application/json; charset=utf-8",
        "application/problem+json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "",
      );
      const payload = fc.oneof(
        fc.string(),
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.uint8Array({ maxLength: 64 }),
      );
      await fc.assert(
        fc.asyncProperty(route, contentType, payload, async ([method, path], type, bytes) => {
          const before = await stored();
          const res = await call(`/api${path}`, {
            method,
            headers: { ...ADMIN, ...(type && { "content-type": type }) },
            body: typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes,
          });
          const json = await bodyOf(res);
          expectHandled(res.status, json, { method, path, type, bytes });
          if (!/json/.test(type)) expect(res.status).toBe(415);
          if (res.status >= 400) expect(await stored()).toEqual(before);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  it(
    "POST /api/cost-updates: 201 answers what GET lists, anything else stores nothing",
    async () => {
      const { id: campaignId } = (await (
        await api("POST", "/campaigns", { name: "Costed", offers: [{ offerId: (await createOffer()).id, weight: 1 }] })
      ).json()) as { id: number };
      const day = fc
        .date({ min: new Date("2025-01-01T00:00:00Z"), max: new Date("2027-12-31T00:00:00Z"), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
      const updateBody = body({
        campaignId: { valid: fc.constant(campaignId), any: fc.oneof(number, text, fc.constant(999_999)) },
        from: {
          valid: day,
          any: fc.oneof(
            text,
            day.map((d) => d.replace(/-/g, "/")),
          ),
        },
        to: { valid: day, any: text },
        tz: { valid: fc.constantFrom("UTC", "Europe/Warsaw", "Asia/Kathmandu"), any: text },
        amount: { valid: amount.map(Math.abs), any: fc.oneof(number, text) },
        filters: {
          valid: fc.dictionary(
            fc.constantFrom("var1", "country", "device", "offerId"),
            fc.stringMatching(/^[1-9]\d{0,3}$/),
            {
              maxKeys: 2,
            },
          ),
          any: fc.oneof(fc.dictionary(text, fc.oneof(text, number), { maxKeys: 3 }), jsonJunk),
        },
      });
      await fc.assert(
        fc.asyncProperty(updateBody, async (input) => {
          const { status, json } = await send("POST", "/cost-updates", input, [201]);
          if (status !== 201) return;
          const { costUpdates } = (await (await api("GET", "/cost-updates")).json()) as { costUpdates: unknown[] };
          expect(costUpdates).toContainEqual(json);
          expect((await api("DELETE", `/cost-updates/${json.id}`)).status).toBe(200);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );
});
