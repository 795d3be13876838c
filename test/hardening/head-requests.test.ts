import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, click, eventually, setupCampaign } from "../helpers";

const count = async (table: string) => Number(await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first("n"));

/** Status and headers of a response, without the parts that differ per request. */
function shape(res: Response) {
  const headers = Object.fromEntries(
    [...res.headers].filter(([name]) => !["set-cookie", "location", "content-length"].includes(name)),
  );
  return { status: res.status, headers };
}

describe("HEAD answers like GET and records nothing (issue 10 row 4)", () => {
  it("HEAD /c/:id: the same 302 and headers, no body, no visit", async () => {
    const { campaign } = await setupCampaign({ url: "https://offer.example/?cid={clickid}" });
    const heads = await Promise.all(Array.from({ length: 5 }, () => call(`/c/${campaign.id}`, { method: "HEAD" })));
    const { res: get } = await click(campaign.id);
    for (const head of heads) {
      expect(shape(head)).toEqual(shape(get));
      expect(new URL(head.headers.get("location")!).host).toBe("offer.example");
      expect(await head.text()).toBe("");
    }
    // Visits are written in batches, in order, after the answer: a HEAD's visit would be in the
    // GET's batch or an earlier one, so once the GET's is stored, any other would be too.
    expect(
      await eventually(
        () => count("raw_visits"),
        (n) => n >= 1,
        10000,
      ),
    ).toBe(1);
  });

  it("HEAD /c/<unknown>: the same 404 as GET", async () => {
    const [head, get] = [await call("/c/424242", { method: "HEAD" }), await call("/c/424242")];
    expect(shape(head)).toEqual(shape(get));
    expect(head.status).toBe(404);
  });

  it("HEAD /postback: GET's status and headers, no conversion and no log row", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const logBefore = await count("postback_log");
    const head = await call(`/postback?cid=${clickId}&payout=2`, { method: "HEAD" });
    const badHead = await call("/postback?cid=nonsense", { method: "HEAD" });
    expect(await head.text()).toBe("");
    expect(await count("conversions")).toBe(0);

    const get = await call(`/postback?cid=${clickId}&payout=2`);
    expect(((await get.json()) as { status: string }).status).toBe("accepted");
    expect(shape(head)).toEqual(shape(get));
    expect(shape(badHead)).toEqual(shape(await call("/postback?cid=nonsense")));
    expect(badHead.status).toBe(400);
    // The two GETs are logged; the HEADs, sent first, are not (the log is written in order, so
    // their rows would be there by the time the GETs' are).
    expect(
      await eventually(
        () => count("postback_log"),
        (n) => n >= logBefore + 2,
      ),
    ).toBe(logBefore + 2);
    expect(await count("conversions")).toBe(1);
  });

  it("HEAD /pixel.gif: the GIF's status and headers, no conversion and no log row", async () => {
    const { campaign } = await setupCampaign();
    const { clickId } = await click(campaign.id);
    const logBefore = await count("postback_log");
    const before = await count("conversions");
    const head = await call(`/pixel.gif?cid=${clickId}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("image/gif");
    expect(await head.text()).toBe("");
    // The GET carries a marker, so its log row is told apart from one the HEAD might have left.
    const get = await call(`/pixel.gif?cid=${clickId}&marker=get`);
    expect(shape(head)).toEqual(shape(get));
    const getRow = () =>
      env.DB.prepare("SELECT status FROM postback_log WHERE params LIKE '%marker%'").first<{ status: string }>();
    expect(await eventually(getRow, (row) => row !== null)).toEqual({ status: "accepted" });
    // The HEAD, sent first, registered nothing the GET would duplicate, and left no row (the log
    // is written in order, so its row would be there by now).
    expect(await count("postback_log")).toBe(logBefore + 1);
    expect(
      await eventually(
        () => count("conversions"),
        (n) => n >= before + 1,
      ),
    ).toBe(before + 1);
  });
});
