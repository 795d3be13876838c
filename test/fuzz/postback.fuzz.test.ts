import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { HIT_NAMES } from "../../src/ingest/aliases";
import { mintClickId } from "../../src/lib/clickid";
import { isTransition } from "../../src/model/status";
import { api, call, created, setupCampaign } from "../helpers";
import { PROTO_WORDS } from "./arbitraries";
import { alike, bodyOf, expectHandled, fc, fuzzParams, fuzzTimeout } from "./harness";

/**
 * Property-based fuzzing of postback and pixel parameters (docs/conversions.md): GET
 * query, urlencoded and multipart bodies, every alias. Properties:
 * - never a 5xx; a refusal is a 4xx in the error envelope and a 400 names a parameter sent;
 * - GET, urlencoded POST and multipart POST of the same values give the same answer;
 * - nothing is stored for a refused request; an accepted one is a duplicate the second time;
 * - the pixel registers exactly when the postback would.
 * Seeds and runs as in harness.ts.
 */
/** A property's time limit: two minutes at the usual runs, more when FUZZ_RUNS raises them. */
const timeout = (runs: number) => fuzzTimeout(runs, 120_000);

let target: { campaignId: number; offerId: number };
beforeAll(async () => {
  const { campaign, offer } = await setupCampaign();
  target = { campaignId: campaign.id, offerId: offer.id };
  await created(api("POST", "/conversion-types", { name: "sale" }));
  expect(
    (await api("PATCH", "/settings", { currencyRates: { EUR: 1.08 }, statusMap: { reg: "pending" } })).status,
  ).toBe(200);
});

const freshClickId = () => mintClickId(env.CLICKID_SECRET, { visitTime: Date.now(), ...target });
const CLICK = "\u0001CLICK\u0001"; // stands for a fresh click ID in generated values

const stored = (clickId: string) =>
  env.DB.prepare("SELECT count(*) AS n FROM conversions WHERE click_id = ?").bind(clickId).first<number>("n");

// ---- generators: mostly near-valid, so requests get past the first check ----
const hostile = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "a\nb",
  "\u007f",
  "\u0085",
  "\ufffd",
  "é",
  "1%",
  "%ff",
  "<b>",
  "x".repeat(300),
);
const anyText = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: "binary", maxLength: 12 }), hostile);
/** Mostly values a network would send, sometimes junk. */
const mostly = (valid: fc.Arbitrary<string>) =>
  fc.oneof({ arbitrary: valid, weight: 5 }, { arbitrary: anyText, weight: 1 });
const VALUES: Record<string, fc.Arbitrary<string>> = {
  clickId: fc.oneof(
    { arbitrary: fc.constant(CLICK), weight: 12 },
    { arbitrary: fc.constantFrom(`${CLICK}x`, "abc", ""), weight: 1 },
    { arbitrary: anyText, weight: 1 },
  ),
  payout: mostly(
    fc.oneof(
      fc.constantFrom("1", "-2.5", "0.000001", " 3 ", "1e3", "1000000001", "1000000.000001", "999999999.999999"),
      fc.double({ noNaN: true }).map(String),
    ),
  ),
  txid: mostly(
    fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.string({ unit: "grapheme", maxLength: 20 }),
      fc.constantFrom("x".repeat(128), "x".repeat(129)),
    ),
  ),
  type: mostly(fc.constantFrom("sale", "nope", "SALE", "", "__proto__", "constructor")),
  status: mostly(
    fc.constantFrom("approved", "sale", "Lead", "hold", "declined", "chargeback", "reg", "paid", ...PROTO_WORDS),
  ),
  currency: mostly(fc.constantFrom("EUR", "usd", "GBP", "XYZ", "euro", "__proto__", "constructor")),
  time: mostly(fc.constantFrom("2026-01-02T03:04:05Z", "2026-02-30", "2026-01-02 03:04+01:00", "now")),
};
const NAME_CHARS = fc.constantFrom(..."abcxyz019_-. é".split(""));
const extraName = fc.oneof(
  { arbitrary: fc.string({ unit: NAME_CHARS, minLength: 1, maxLength: 10 }), weight: 4 },
  { arbitrary: fc.constantFrom(...PROTO_WORDS), weight: 1 },
);

/** A postback's parameters: each field under one of its names (or absent), plus a few others. */
const hitParams = fc
  .tuple(
    ...(Object.entries(HIT_NAMES) as [string, readonly string[]][]).map(([field, names]) =>
      fc.oneof(
        { arbitrary: fc.constant(null), weight: field === "clickId" ? 1 : 3 },
        { arbitrary: fc.tuple(fc.constantFrom(...names), VALUES[field]!), weight: field === "clickId" ? 12 : 1 },
      ),
    ),
    fc.array(fc.tuple(extraName, mostly(fc.string({ maxLength: 12 }))), { maxLength: 3 }),
  )
  .map((parts) => {
    const extra = parts.pop() as [string, string][];
    const pairs = [...(parts as ([string, string] | null)[]).filter((p) => p !== null), ...extra];
    // One value per name (a repeated name is its own rule, tested in postback-decoding.test.ts).
    return [...new Map(pairs.map(([k, v]) => [k, v])).entries()].filter(([, v]) => wellFormed(v));
  });

/** Lone surrogates cannot be sent as UTF-8 by any route. */
function wellFormed(text: string): boolean {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

const fill = (pairs: [string, string][], clickId: string) =>
  pairs.map(([k, v]) => [k, v.replaceAll(CLICK, clickId)] as [string, string]);
const urlencoded = (pairs: [string, string][]) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");

interface Answer {
  status: number;
  body: { status?: string; error?: string; code?: string };
}

async function send(way: "get" | "form" | "multipart", pairs: [string, string][]): Promise<Answer> {
  let res: Response;
  if (way === "get") res = await call(`/postback?${urlencoded(pairs)}`);
  else if (way === "form")
    res = await call("/postback", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: urlencoded(pairs),
    });
  else {
    const form = new FormData();
    for (const [k, v] of pairs) form.append(k, v);
    res = await call("/postback", { method: "POST", body: form });
  }
  return { status: res.status, body: (await bodyOf(res)) as Answer["body"] };
}

/** The shared oracle, a 400 naming a parameter sent (as the postback shows a name: 64 characters at most). */
function expectAnswered(a: Answer, names: string[], context: unknown) {
  expectHandled(
    a.status,
    a.body,
    context,
    ["cid", ...names].map((n) => (n.length > 64 ? `${n.slice(0, 64)}…` : n)),
  );
  if (a.status < 400) expect(["accepted", "duplicate"], JSON.stringify(context)).toContain(a.body.status);
}

/** An answer with its click ID taken out, to compare answers about different click IDs. */
const shape = (a: Answer, clickId: string) => JSON.stringify({ ...a, body: alike(a.body) }).replaceAll(clickId, "…");

function wellFormedEscapes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

describe("postback fuzzing", () => {
  it(
    "GET, urlencoded and multipart POST answer alike; refused stores nothing; accepted is a duplicate next time",
    async () => {
      await fc.assert(
        fc.asyncProperty(hitParams, async (template) => {
          const answers: string[] = [];
          for (const way of ["get", "form", "multipart"] as const) {
            const clickId = await freshClickId();
            const pairs = fill(template, clickId);
            const first = await send(way, pairs);
            expectAnswered(
              first,
              pairs.map(([k]) => k),
              { way, pairs },
            );
            answers.push(shape(first, clickId));
            if (first.status === 200) {
              expect(first.body.status).toBe("accepted");
              const again = await send(way, pairs);
              expect(again, JSON.stringify(pairs)).toEqual({ status: 200, body: { status: "duplicate" } });
              expect(await stored(clickId)).toBe(1);
            } else expect(await stored(clickId), JSON.stringify({ way, pairs, first })).toBe(0);
          }
          expect(answers[1], `form vs GET for ${JSON.stringify(template)}`).toBe(answers[0]);
          expect(answers[2], `multipart vs GET for ${JSON.stringify(template)}`).toBe(answers[0]);
        }),
        fuzzParams(60),
      );
    },
    timeout(60),
  );

  it(
    "raw parameter text, malformed escapes included, answers the same by GET and by a urlencoded body",
    async () => {
      const piece = fc.oneof(
        fc.constantFrom(
          "%",
          "%f",
          "%ff",
          "%00",
          "%0a",
          "%C3",
          "%C3%A9",
          "%ED%A0%80",
          "+",
          "=",
          "%25",
          "%2B",
          "&",
          "é",
          " ",
        ),
        fc.string({ unit: fc.constantFrom(..."ab1.-_~".split("")), maxLength: 4 }),
      );
      const rawValue = fc.array(piece, { maxLength: 5 }).map((p) => p.join(""));
      const rawPair = fc.tuple(
        fc.constantFrom("payout", "txid", "revenue", "tid", "status", "currency", "zz"),
        rawValue,
      );
      await fc.assert(
        fc.asyncProperty(fc.array(rawPair, { maxLength: 3 }), async (pairs) => {
          const results: string[] = [];
          for (const way of ["get", "form"] as const) {
            const clickId = await freshClickId();
            const raw = [`cid=${clickId}`, ...pairs.map(([k, v]) => `${k}=${v}`)].join("&");
            const res =
              way === "get"
                ? await call(`/postback?${raw}`)
                : await call("/postback", {
                    method: "POST",
                    headers: { "content-type": "application/x-www-form-urlencoded" },
                    body: raw,
                  });
            const a = { status: res.status, body: (await bodyOf(res)) as Answer["body"] };
            // Names as sent: an "&" inside a value starts a parameter of its own.
            const names = raw.split("&").flatMap((p) => {
              const name = p.split("=")[0]!;
              return [name, name.replaceAll("+", " "), ...(wellFormedEscapes(name) ? [decodeURIComponent(name)] : [])];
            });
            expectAnswered(a, names, { way, raw });
            if (a.status !== 200) expect(await stored(clickId)).toBe(0);
            results.push(shape(a, clickId));
          }
          expect(results[1], JSON.stringify(pairs)).toBe(results[0]);
        }),
        fuzzParams(80),
      );
    },
    timeout(80),
  );

  it(
    "a sequence of statuses follows the transition rules; the row and the events end in the model's state",
    async () => {
      const WORDS: Record<string, string> = {
        approved: "approved",
        sale: "approved",
        lead: "pending",
        reg: "pending",
        chargeback: "rejected",
        rejected: "rejected",
      };
      const step = fc.tuple(fc.constantFrom(...Object.keys(WORDS), ""), fc.option(fc.integer({ min: -5, max: 50 })));
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
          const clickId = await freshClickId();
          let model: { status: string; payout: number } | null = null;
          for (const [word, payout] of steps) {
            const query = `cid=${clickId}${word ? `&status=${word}` : ""}${payout === null ? "" : `&payout=${payout}`}`;
            const a = await send("get", [...new URLSearchParams(query).entries()]);
            const next = WORDS[word] ?? "approved";
            const moves = model !== null && isTransition(model.status as never, next as never);
            const expected = model === null ? "accepted" : moves ? "updated" : "duplicate";
            expect(a.body.status, JSON.stringify({ steps, model, query })).toBe(expected);
            if (model === null) model = { status: next, payout: payout ?? 0 };
            else if (moves) model = { status: next, payout: payout ?? model.payout };
          }
          const row = await env.DB.prepare("SELECT status, payout_micros FROM conversions WHERE click_id = ?")
            .bind(clickId)
            .first<{ status: string; payout_micros: number }>();
          expect(row).toEqual({ status: model!.status, payout_micros: model!.payout * 1e6 });
          // Applying every event's delta once leaves exactly the final state.
          const net = await env.DB.prepare(
            `SELECT sum(CASE WHEN status = ?1 THEN 1 ELSE 0 END) - sum(CASE WHEN previous_status = ?1 THEN 1 ELSE 0 END) AS n,
             sum(CASE WHEN status = ?1 THEN payout_micros ELSE 0 END) - sum(CASE WHEN previous_status = ?1 THEN previous_payout_micros ELSE 0 END) AS micros,
             count(*) AS events
           FROM conversion_events WHERE click_id = ?2`,
          )
            .bind(model!.status, clickId)
            .first();
          expect(net).toMatchObject({ n: 1, micros: model!.payout * 1e6 });
        }),
        fuzzParams(30),
      );
    },
    timeout(30),
  );

  it(
    "the pixel always answers its GIF and registers exactly when the postback would",
    async () => {
      await fc.assert(
        fc.asyncProperty(hitParams, async (template) => {
          const postbackId = await freshClickId();
          const pixelId = await freshClickId();
          const answer = await send("get", fill(template, postbackId));
          const pixel = await call(`/pixel.gif?${urlencoded(fill(template, pixelId))}`);
          expect(pixel.status).toBe(200);
          expect(pixel.headers.get("content-type")).toBe("image/gif");
          await pixel.arrayBuffer();
          expect(await stored(pixelId), JSON.stringify({ template, answer })).toBe(answer.status === 200 ? 1 : 0);
        }),
        fuzzParams(40),
      );
    },
    timeout(40),
  );
});
