import { describe, expect, it } from "vitest";
import { api, createOffer } from "../helpers";
import { body, goodUrlTemplate, jsonJunk, name, number, text, urlTemplate } from "./arbitraries";
import { fc, fuzzParams, fuzzTimeout, send } from "./harness";

const RUNS = 30;

const param = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/), text);
const placeholder = fc.oneof(fc.constantFrom(`\${SUBID}`, "{zoneid}", "[CLICK_ID]", "##ZONE##"), text);
const pair = body({ param: { valid: param, any: text }, placeholder: { valid: placeholder, any: text } });

describe("fuzzing landers, traffic sources and campaign flows", () => {
  it(
    "POST /api/landers: 201 stores what it answers, a refusal nothing",
    async () => {
      const input = body({
        name: { valid: name, any: text },
        url: { valid: goodUrlTemplate, any: urlTemplate },
        offerCount: { valid: fc.integer({ min: 1, max: 50 }), any: fc.oneof(number, text) },
      });
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          const { status, json } = await send("POST", "/landers", value, [201]);
          if (status === 201) expect(await (await api("GET", `/landers/${json.id}`)).json()).toEqual(json);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  it(
    "POST /api/traffic-sources: parameters, variables and postback URLs of every shape",
    async () => {
      const variable = body({
        slot: { valid: fc.integer({ min: 1, max: 10 }), any: fc.oneof(fc.integer({ min: -1, max: 11 }), number) },
        param: { valid: param, any: text },
        placeholder: { valid: placeholder, any: text },
        alias: { valid: fc.string({ maxLength: 10 }), any: text },
      });
      const input = body({
        name: { valid: name, any: text },
        externalId: { valid: fc.oneof(fc.constant(null), pair), any: jsonJunk },
        cost: { valid: fc.oneof(fc.constant(null), pair), any: jsonJunk },
        variables: { valid: fc.array(variable, { maxLength: 3 }), any: jsonJunk },
        postbackUrl: { valid: fc.oneof(fc.constant(null), goodUrlTemplate), any: urlTemplate },
        postbackFor: { valid: fc.constantFrom("conversions", "all"), any: text },
      });
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          const { status, json } = await send("POST", "/traffic-sources", value, [201]);
          if (status === 201) expect(await (await api("GET", `/traffic-sources/${json.id}`)).json()).toEqual(json);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  it(
    "POST /api/campaigns with a flow: rules, conditions and paths of every shape",
    async () => {
      const offerIds = [(await createOffer()).id as number, (await createOffer()).id as number];
      const lander = (await (
        await api("POST", "/landers", { name: "L", url: "https://lp.example/?c={clickid}" })
      ).json()) as { id: number };
      const weighted = (key: string, ids: number[]) =>
        body({
          [key]: { valid: fc.constantFrom(...ids), any: fc.oneof(number, fc.constant(999_999)) },
          weight: { valid: fc.integer({ min: 0, max: 10_000 }), any: number },
        });
      const path = body({
        name: { valid: name, any: text },
        weight: { valid: fc.integer({ min: 1, max: 10_000 }), any: number },
        landers: { valid: fc.array(weighted("landerId", [lander.id]), { maxLength: 1 }), any: jsonJunk },
        offers: { valid: fc.array(weighted("offerId", offerIds), { minLength: 1, maxLength: 2 }), any: jsonJunk },
      });
      const condition = body({
        field: { valid: fc.constantFrom("country", "device", "ip", "var1", "weekday", "hour", "bot"), any: text },
        op: { valid: fc.constantFrom("in", "notIn"), any: text },
        values: {
          valid: fc.array(fc.constantFrom("US", "mobile", "10.0.0.0/8", "zone7", "1", "23", "true", "24", "xx"), {
            minLength: 1,
            maxLength: 3,
          }),
          any: jsonJunk,
        },
      });
      const rule = body({
        name: { valid: name, any: text },
        conditions: { valid: fc.array(condition, { minLength: 1, maxLength: 2 }), any: jsonJunk },
        paths: { valid: fc.array(path, { minLength: 1, maxLength: 2 }), any: jsonJunk },
      });
      const flow = body({
        rules: { valid: fc.array(rule, { maxLength: 2 }), any: jsonJunk },
        defaultPaths: { valid: fc.array(path, { minLength: 1, maxLength: 2 }), any: jsonJunk },
      });
      await fc.assert(
        fc.asyncProperty(flow, async (value) => {
          const { status, json } = await send("POST", "/campaigns", { name: "Flow", flow: value }, [201]);
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
});
