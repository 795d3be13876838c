import { describe, expect, it } from "vitest";
import { ADMIN, api, call, createOffer } from "../helpers";
import { body, jsonJunk, number, text, urlTemplate } from "./arbitraries";
import { bodyOf, expectHandled, fc, fuzzParams, fuzzTimeout, stored } from "./harness";

const RUNS = 40;

/**
 * Sends `input` and checks the shared oracle. A refusal must leave everything as it was; an
 * acceptance is returned for the caller's own checks.
 */
async function send(method: string, path: string, input: unknown, ok: number[]) {
  const before = await stored();
  const res = await api(method, path, input);
  const json = await bodyOf(res);
  expectHandled(res.status, json, { method, path, input });
  expect([...ok, 400, 404, 409], `${method} ${path} ${res.status}: ${JSON.stringify(json)}`).toContain(res.status);
  if (res.status >= 400) expect(await stored(), `${method} ${path} refused but changed something`).toEqual(before);
  return { status: res.status, json: json as Record<string, unknown>, before };
}

const payout = fc.oneof(
  fc.constant({ mode: "auto" }),
  number.map((amount) => ({ mode: "manual", amount })),
  fc.record({ mode: fc.constantFrom("auto", "manual", "other"), amount: fc.oneof(number, text) }, { requiredKeys: [] }),
);
const offerBody = body({ name: text, url: urlTemplate, payout });
const typeName = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), text);

describe("fuzzing the admin API bodies", () => {
  it(
    "POST /api/offers: 201 stores exactly what it answers, anything else stores nothing",
    async () => {
      await fc.assert(
        fc.asyncProperty(offerBody, async (input) => {
          const { status, json, before } = await send("POST", "/offers", input, [201]);
          if (status !== 201) return;
          expect(await (await api("GET", `/offers/${json.id}`)).json()).toEqual(json);
          // SPEC: offers have no unique key, so the same body again is a second offer.
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
        fc.asyncProperty(body({ name: text, url: urlTemplate, payout, archived: fc.boolean() }), async (input) => {
          const { status, json } = await send("PATCH", `/offers/${offer.id}`, input, [200]);
          if (status !== 200) return;
          const again = await api("PATCH", `/offers/${offer.id}`, input);
          const second = (await again.json()) as Record<string, unknown>;
          expect({ status: again.status, json: { ...second, updatedAt: 0 } }).toEqual({
            status,
            json: { ...json, updatedAt: 0 },
          });
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  it(
    "POST /api/campaigns: offers lists of every shape",
    async () => {
      const offers = [await createOffer(), await createOffer()];
      const offerId = fc.oneof(fc.constantFrom(...offers.map((o) => o.id as number)), number, text);
      const entry = body({ offerId, weight: fc.oneof(fc.integer({ min: -1, max: 10_001 }), number) });
      const input = body({
        name: text,
        offers: fc.oneof(fc.array(entry, { maxLength: 4 }), jsonJunk),
        costPerClick: fc.oneof(number, fc.constant(null)),
      });
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          const { status, json } = await send("POST", "/campaigns", value, [201]);
          if (status === 201) expect(await (await api("GET", `/campaigns/${json.id}`)).json()).toEqual(json);
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
        fc.asyncProperty(body({ name: typeName, includeInConversions: fc.boolean() }), async (input) => {
          const { status } = await send("POST", "/conversion-types", input, [201]);
          if (status !== 201) return;
          const before = await stored();
          const again = await api("POST", "/conversion-types", input);
          const json = await bodyOf(again);
          expectHandled(again.status, json, input);
          expect(again.status).toBe(409);
          expect(await stored()).toEqual(before);
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
      const input = body({
        postbackSecret: fc.oneof(text, fc.constant(null)),
        postbackAllowedIps: fc.oneof(fc.array(cidr, { maxLength: 3 }), jsonJunk),
        timezone: fc.oneof(fc.constantFrom("UTC", "Europe/Warsaw", "America/St_Johns", "Mars/Olympus"), text),
      });
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          const { status, json } = await send("PATCH", "/settings", value, [200]);
          if (status !== 200) return;
          const again = await api("PATCH", "/settings", value);
          const second = (await again.json()) as Record<string, unknown>;
          expect({ status: again.status, json: { ...second, updatedAt: 0 } }).toEqual({
            status,
            json: { ...json, updatedAt: 0 },
          });
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
});
