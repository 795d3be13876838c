import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, call, click, eventually, setupCampaign } from "./helpers";

// Hardening rows 1, 2, 5, 6, 7: one decoding rule for GET and POST, one txid limit, no control
// characters, a small body cap on the public POST /postback.

const rows = (clickId: string) =>
  env.DB.prepare("SELECT txid, payout_micros FROM conversions WHERE click_id = ?")
    .bind(clickId)
    .all<{ txid: string | null; payout_micros: number }>()
    .then((r) => r.results);

async function answer(res: Response) {
  return { status: res.status, body: (await res.json()) as { status?: string; error?: string; code?: string } };
}

/** The same raw (already encoded) parameter text by GET, by a urlencoded POST body, and by a POST query. */
async function threeWays(raw: string) {
  return [
    await answer(await call(`/postback?${raw}`)),
    await answer(
      await call("/postback", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: raw,
      }),
    ),
    await answer(await call(`/postback?${raw}`, { method: "POST" })),
  ];
}

describe("postback parameter decoding", () => {
  it("a malformed percent-escape in payout is a 400 naming payout by GET and POST alike (row 1)", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    for (const payout of ["1%", "%", "1%2", "%zz"]) {
      for (const res of await threeWays(`cid=${clickId}&payout=${payout}`)) {
        expect(res.status, payout).toBe(400);
        expect(res.body.code).toBe("invalid_parameter");
        expect(res.body.error, payout).toMatch(/^payout: malformed percent-encoding/);
      }
    }
    expect(await rows(clickId)).toEqual([]);
  });

  it("escapes that are not UTF-8 are a 400 both ways, so GET and POST can never store two txids (row 2)", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    for (const txid of ["ord%ff1", "ord%C3", "%ED%A0%80", "%C0%AF"]) {
      for (const res of await threeWays(`cid=${clickId}&txid=${txid}`)) {
        expect(res.status, txid).toBe(400);
        expect(res.body.error, txid).toMatch(/^txid: malformed percent-encoding/);
      }
    }
    // Raw bytes that are not UTF-8 in a form body become U+FFFD: refused too.
    const latin1 = await call("/postback", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new Uint8Array([...new TextEncoder().encode(`cid=${clickId}&txid=ord`), 0xff, 0x31]),
    });
    expect((await answer(latin1)).body.error).toMatch(/^txid: .*U\+FFFD/);
    expect(await rows(clickId)).toEqual([]);
    // Well-formed escapes decode the same way by every route: one conversion, then duplicates.
    const [get, post, postQuery] = await threeWays(`cid=${clickId}&txid=ord%C3%A9+1%2B`);
    expect(get!.body.status).toBe("accepted");
    expect([post!.body.status, postQuery!.body.status]).toEqual(["duplicate", "duplicate"]);
    expect(await rows(clickId)).toEqual([{ txid: "ordé 1+", payout_micros: 0 }]);
  });

  it("one txid limit and one message for the postback and the upload (row 5)", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    for (const length of [129, 200, 257, 300]) {
      const res = await answer(await call(`/postback?cid=${clickId}&txid=${"x".repeat(length)}`));
      expect(res.status, String(length)).toBe(400);
      expect(res.body.error, String(length)).toBe("txid: must be at most 128 characters");
      const lines = await (
        await call("/api/conversions/upload", {
          method: "POST",
          headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "text/plain" },
          body: `${clickId},,${"x".repeat(length)}`,
        })
      ).json<{ lines: { error: string }[] }>();
      expect(lines.lines[0]!.error, String(length)).toBe("transaction ID: must be at most 128 characters");
    }
    expect((await answer(await call(`/postback?cid=${clickId}&txid=${"x".repeat(128)}`))).body.status).toBe("accepted");
  });

  it("control characters are refused with a 400 naming the parameter, by every route and the upload (row 6)", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    for (const bad of ["a%00b", "a%0Ab", "a%09b", "a%1Bb", "a%7Fb", "a%C2%85b"]) {
      for (const res of await threeWays(`cid=${clickId}&txid=${bad}`)) {
        expect(res.status, bad).toBe(400);
        expect(res.body.error, bad).toMatch(/^txid: must not contain control characters/);
      }
      // Also in a parameter no field reads, and in a name.
      expect((await answer(await call(`/postback?cid=${clickId}&note=${bad}`))).body.error).toMatch(/^note: /);
      expect((await answer(await call(`/postback?cid=${clickId}&${bad}=1`))).body.error).toMatch(/^a.b: /s);
    }
    const multipart = new FormData();
    multipart.set("cid", clickId);
    multipart.set("txid", "a\u0000b");
    const res = await answer(await call("/postback", { method: "POST", body: multipart }));
    expect(res).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^txid: must not contain/) } });
    // The postback log shows the refused value with the character spelled out, never raw.
    const log = await eventually(
      () =>
        api("GET", "/postbacks?limit=500").then((r) => r.json<{ postbacks: { params: Record<string, string> }[] }>()),
      (page) => page.postbacks.some((p) => p.params.cid === clickId && p.params.txid?.startsWith("a\\u")),
    );
    const logged = log.postbacks.find((p) => p.params.cid === clickId && p.params.txid?.startsWith("a\\u"));
    expect(logged?.params.txid).toBe("a\\u0000b");
    const upload = await call("/api/conversions/upload", {
      method: "POST",
      headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "text/plain" },
      body: `${clickId},,a\u0000b`,
    });
    expect((await upload.json<{ lines: { error: string }[] }>()).lines[0]!.error).toMatch(
      /^transaction ID: must not contain control characters/,
    );
    expect(await rows(clickId)).toEqual([]);
  });

  it("a POST /postback body over 16 KiB is a 413 before it is read, declared or streamed (row 7)", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const big = `cid=${clickId}&pad=${"x".repeat(16 * 1024)}`;
    const declared = await call("/postback", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: "payload_too_large", error: expect.stringMatching(/16384/) });
    const encoder = new TextEncoder();
    const streamed = await call("/postback", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 40; i++)
            controller.enqueue(encoder.encode(i === 0 ? `cid=${clickId}&pad=` : "y".repeat(1024)));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await rows(clickId)).toEqual([]);
    // A body just under the cap is read as usual.
    const fits = `cid=${clickId}&pad=${"x".repeat(16 * 1024 - 60)}`;
    const ok = await call("/postback", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: fits,
    });
    expect((await answer(ok)).body.status).toBe("accepted");
  });

  it("a body that is not a form is a 415 naming the Content-Type; an empty one leaves the query", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const json = await call(`/postback?cid=${clickId}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cid: clickId }),
    });
    expect(json.status).toBe(415);
    expect(await json.json()).toMatchObject({
      code: "unsupported_media_type",
      error: expect.stringMatching(/^Content-Type/),
    });
    const empty = await call(`/postback?cid=${clickId}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect((await answer(empty)).body.status).toBe("accepted");
  });
});
