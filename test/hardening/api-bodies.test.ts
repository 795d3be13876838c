import { describe, expect, it } from "vitest";
import { ADMIN, api, call, createOffer } from "../helpers";

type ErrorJson = { error: string; code: string; issues?: { path: string; message: string }[] };

const send = (method: string, path: string, body: BodyInit, type?: string) =>
  call(`/api${path}`, { method, headers: { ...ADMIN, ...(type && { "content-type": type }) }, body });

const offerCount = async () =>
  ((await (await api("GET", "/offers?archived=1")).json()) as { offers: unknown[] }).offers.length;

const validOffer = { name: "O", url: "https://offer.example/", payout: { mode: "auto" } };

describe("JSON bodies on /api (issue 10 rows 8 and 9)", () => {
  it("refuses a body over 64 KiB with 413 payload_too_large, storing nothing", async () => {
    const big = JSON.stringify({ ...validOffer, name: "x".repeat(70_000) });
    const res = await send("POST", "/offers", big, "application/json");
    expect(res.status).toBe(413);
    const body = (await res.json()) as ErrorJson;
    expect(body.code).toBe("payload_too_large");
    expect(body.error).toMatch(/^body: .*64 KiB/);
    // Also when the length is not declared up front (a streamed body).
    const streamed = await call("/api/offers", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: new Blob([big]).stream(),
      // @ts-expect-error: workerd's RequestInit knows duplex
      duplex: "half",
    });
    expect(streamed.status).toBe(413);
    expect(await offerCount()).toBe(0);
  });

  it("refuses unknown keys on every route with 400 naming the key", async () => {
    const offer = await createOffer();
    const before = await offerCount();
    const cases: [string, string, unknown][] = [
      ["POST", "/offers", { ...validOffer, junk: "x".repeat(1000) }],
      ["POST", "/offers", { ...validOffer, payout: { mode: "auto", junk: 1 } }],
      ["PATCH", `/offers/${offer.id}`, { junk: 1 }],
      ["POST", "/campaigns", { name: "C", offers: [{ offerId: offer.id, weight: 1 }], junk: 1 }],
      ["POST", "/campaigns", { name: "C", offers: [{ offerId: offer.id, weight: 1, junk: 1 }] }],
      ["POST", "/conversion-types", { name: "lead", junk: 1 }],
      ["PATCH", "/settings", { junk: 1 }],
    ];
    for (const [method, path, body] of cases) {
      const res = await api(method, path, body);
      const json = (await res.json()) as ErrorJson;
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(
        json.issues?.some((i) => /(^|\.)junk$/.test(i.path)),
        JSON.stringify(json),
      ).toBe(true);
      expect(json.error).toMatch(/junk: unknown field/);
    }
    expect(await offerCount()).toBe(before);
    const campaigns = (await (await api("GET", "/campaigns")).json()) as { campaigns: unknown[] };
    expect(campaigns.campaigns).toHaveLength(0);
  });

  it("names an unknown key even when it is empty or long, and a body that is no object as `body`", async () => {
    const empty = (await (await api("PATCH", "/settings", { "": 1 })).json()) as ErrorJson;
    expect(empty.issues).toEqual([{ path: '""', message: "unknown field" }]);
    const long = (await (await api("PATCH", "/settings", { ["k".repeat(500)]: 1 })).json()) as ErrorJson;
    expect(long.issues?.[0]?.path).toBe(`${"k".repeat(64)}…`);
    const array = (await (await api("POST", "/offers", [validOffer])).json()) as ErrorJson;
    expect(array.issues?.map((i) => i.path)).toEqual(["body"]);
    expect(array.error).toMatch(/^Invalid json: body: /);
  });

  it("answers 415 unsupported_media_type naming the Content-Type for JSON sent as text or untyped", async () => {
    const before = await offerCount();
    for (const type of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", undefined]) {
      // Bytes, not a string: fetch would label a string body text/plain itself.
      const res = await send("POST", "/offers", new TextEncoder().encode(JSON.stringify(validOffer)), type);
      const body = (await res.json()) as ErrorJson;
      expect(res.status, String(type)).toBe(415);
      expect(body.code).toBe("unsupported_media_type");
      expect(body.error).toContain("Content-Type");
      expect(body.error).toContain(type ? type.split(";")[0]! : "none");
    }
    const patch = await send("PATCH", "/settings", "{}", "text/plain");
    expect(patch.status).toBe(415);
    expect(await offerCount()).toBe(before);
    // application/json with a charset, and +json types, are JSON.
    expect((await send("POST", "/offers", JSON.stringify(validOffer), "application/json; charset=utf-8")).status).toBe(
      201,
    );
  });

  it("names the body when it is not JSON at all", async () => {
    const res = await send("POST", "/offers", "{not json", "application/json");
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorJson).error).toMatch(/^body: /);
  });
});
