import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SHARD_COUNT, shardOf, shardStub } from "../../src/ingest/shards";
import { ADMIN, api, call, click, setupCampaign } from "../helpers";

// Words and keys that name Object.prototype's members must be plain unknown words, never a 5xx.
const PROTO_WORDS = ["__proto__", "constructor", "Constructor", "__PROTO__", "toString", "hasOwnProperty", "prototype"];

const postback = async (query: string) => {
  const res = await call(`/postback?${query}`);
  return { status: res.status, body: (await res.json()) as { status?: string; error?: string } };
};

const upload = async (text: string) => {
  const res = await call("/api/conversions/upload", {
    method: "POST",
    headers: { ...ADMIN, "content-type": "text/plain" },
    body: text,
  });
  return { status: res.status, body: (await res.json()) as any };
};

const conversionCount = async () =>
  (await env.DB.prepare("SELECT count(*) AS n FROM conversions").first<{ n: number }>())!.n;

describe("prototype names from outside are plain unknown words", () => {
  it("a postback with status __proto__ or constructor is a 400 naming status, not a 503", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    for (const word of PROTO_WORDS) {
      for (const param of ["status", "cnv_status"]) {
        const r = await postback(`cid=${clickId}&${param}=${encodeURIComponent(word)}`);
        expect(r.status, `${param}=${word}`).toBe(400);
        expect(r.body.error).toMatch(new RegExp(`^${param}: unknown status`));
      }
      // Same for a currency or a type named that way.
      expect((await postback(`cid=${clickId}&currency=${word}`)).status, `currency=${word}`).toBe(400);
      expect((await postback(`cid=${clickId}&et=${word}`)).status, `et=${word}`).toBe(400);
    }
    expect(await conversionCount()).toBe(0); // the first test of the file
    // The click still converts normally afterwards.
    expect((await postback(`cid=${clickId}&payout=1`)).body.status).toBe("accepted");
  });

  it("an upload of good lines and __proto__ lines registers the good ones and says so line by line", async () => {
    const { campaign } = await setupCampaign();
    const ids = await Promise.all(Array.from({ length: 40 }, () => click(campaign.id).then((c) => c.clickId)));
    const { clickId: bad } = await click(campaign.id);
    const before = await conversionCount();
    const text = [...ids.map((id) => `${id},1`), `${bad},1,,,,__proto__`, `${bad},1,,,,constructor`].join("\n");
    const first = await upload(text);
    expect(first.status).toBe(200);
    expect(first.body.summary).toEqual({ total: 42, accepted: 40, updated: 0, duplicate: 0, rejected: 2 });
    expect(first.body.lines.map((l: any) => [l.line, l.status, l.error.slice(0, 22)])).toEqual([
      [41, "rejected", "status: unknown status"],
      [42, "rejected", "status: unknown status"],
    ]);
    expect(await conversionCount()).toBe(before + 40);
  });

  it("when one shard fails, the upload registers the rest and names each line it could not register", async () => {
    const { campaign } = await setupCampaign();
    const ids = await Promise.all(Array.from({ length: 40 }, () => click(campaign.id).then((c) => c.clickId)));
    // Break one real shard that holds some of the lines (its decisions table goes away).
    const counts = new Array<number>(SHARD_COUNT).fill(0);
    for (const id of ids) counts[shardOf(id)]!++;
    const broken = counts.indexOf(Math.max(...counts));
    await runInDurableObject(shardStub(env, broken), (_obj, state) => {
      state.storage.sql.exec("DROP TABLE decisions");
    });
    const onBroken = new Set(ids.filter((id) => shardOf(id) === broken));
    const before = await conversionCount();
    const first = await upload(ids.map((id) => `${id},1`).join("\n"));
    expect(first.status).toBe(200);
    expect(first.body.summary).toMatchObject({ total: 40, accepted: 40 - onBroken.size, rejected: onBroken.size });
    expect(first.body.lines).toHaveLength(onBroken.size);
    for (const l of first.body.lines) {
      expect(onBroken.has(ids[l.line - 1]!)).toBe(true);
      expect(l).toMatchObject({
        status: "rejected",
        error: expect.stringMatching(/^not registered: .*upload this line again/),
      });
    }
    expect(await conversionCount()).toBe(before + 40 - onBroken.size);
    // What the answer called registered is a duplicate the second time; nothing else is.
    const again = await upload(ids.map((id) => `${id},1`).join("\n"));
    expect(again.body.summary).toMatchObject({ duplicate: 40 - onBroken.size, rejected: onBroken.size });
  });

  it("settings refuse status words and currency codes named after prototype members", async () => {
    for (const word of ["__proto__", "constructor", "prototype"]) {
      const body = JSON.parse(`{"statusMap":{"${word}":"approved"}}`);
      const res = await api("PATCH", "/settings", body);
      expect(res.status, word).toBe(400);
      expect(JSON.stringify(await res.json())).toContain(word);
    }
    const rates = await api("PATCH", "/settings", JSON.parse('{"currencyRates":{"__proto__":"1"}}'));
    expect(rates.status).toBe(400);
    expect(((await (await api("GET", "/settings")).json()) as any).statusMap).toEqual({});
  });
});
