// The load-and-fault drill's own pieces: lander loops (a click through a flow to its lander, then
// the lander's GET /click) and a local source-postback receiver that fails a share of calls.
import { createServer } from "node:http";

const CID = /[?&]cid=([A-Za-z0-9_-]{32})/;

/** `connections` loops of flow click + lander click; each 302 of /click/1 is kept by click ID. */
export function landerLoad({ url, flowCampaignId, connections }) {
  const seen = { flowRedirects: [], landerClicks: [], answeredAt: new Map(), other: 0, errors: 0 };
  let stopped = false;
  const get = (path) => fetch(url + path, { redirect: "manual", signal: AbortSignal.timeout(30_000) });
  async function loop() {
    while (!stopped) {
      try {
        const visit = await get(`/c/${flowCampaignId}?var1=bench`);
        await visit.arrayBuffer();
        const cid = CID.exec(visit.headers.get("location") ?? "")?.[1];
        if (visit.status !== 302 || !cid) {
          seen.other++;
          continue;
        }
        seen.flowRedirects.push(cid);
        seen.answeredAt.set(cid, Date.now());
        if (stopped) break;
        const click = await get(`/click/1?cid=${cid}`);
        await click.arrayBuffer();
        if (click.status === 302) seen.landerClicks.push(cid);
        else seen.other++;
      } catch {
        seen.errors++; // the runtime is gone: a request cut off got no answer
        break;
      }
    }
  }
  const done = Promise.all(Array.from({ length: connections }, loop));
  return { seen, done, stop: () => (stopped = true) };
}

/**
 * A traffic source's postback receiver on 127.0.0.1: answers 500 to the first call for a click
 * ID with probability `failShare` (then 200 to its retry, so the drain takes the first retry
 * delay, not hours), and counts the 200s per click ID: more than one is a doubled delivery.
 */
export async function flakyReceiver(failShare) {
  const ok = new Map();
  const failed = new Set();
  let calls = 0;
  const server = createServer((req, res) => {
    calls++;
    const c = new URL(req.url, "http://x").searchParams.get("c") ?? "";
    if (!failed.has(c) && !ok.has(c) && Math.random() < failShare) {
      failed.add(c);
      res.writeHead(500).end("injected failure");
      return;
    }
    ok.set(c, (ok.get(c) ?? 0) + 1);
    res.writeHead(200).end("ok");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/pb?c={clickid}`,
    stats: () => ({
      calls,
      failedFirst: failed.size,
      delivered: ok.size,
      doubled: [...ok.values()].filter((n) => n > 1).length,
    }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
