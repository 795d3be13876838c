// The crash drill's load: loops that each click (GET /c/:id) and then post back the click ID read
// from that redirect's Location, so every postback names a distinct click. Each answer is kept,
// so the drill can match the 302s and "accepted" answers it saw with the rows stored.
import { readFileSync } from "node:fs";

const CID = /[?&]cid=([A-Za-z0-9_-]{32})/;

/** Starts `connections` loops; `stop()` lets no new request start, `done` settles when all have ended. */
export function pairLoad({ url, campaignId, connections }) {
  const seen = {
    redirects: [],
    answeredAt: new Map(),
    accepted: [],
    clickOther: 0,
    postbackOther: 0,
    errors: 0,
    started: 0,
  };
  let stopped = false;
  let txid = 0;
  const get = async (path) => {
    seen.started++;
    return fetch(url + path, { redirect: "manual", signal: AbortSignal.timeout(30_000) });
  };
  async function loop() {
    while (!stopped) {
      try {
        const click = await get(`/c/${campaignId}?var1=crash`);
        await click.arrayBuffer();
        const cid = CID.exec(click.headers.get("location") ?? "")?.[1];
        if (click.status !== 302 || !cid) {
          seen.clickOther++;
          continue;
        }
        seen.redirects.push(cid);
        seen.answeredAt.set(cid, Date.now());
        if (stopped) break;
        const postback = await get(`/postback?cid=${cid}&payout=1.25&txid=crash-${txid++}`);
        const body = await postback.json().catch(() => null);
        if (postback.status === 200 && body?.status === "accepted") seen.accepted.push(cid);
        else seen.postbackOther++;
      } catch {
        // Refused or reset: the runtime is gone, and a request cut off got no answer.
        seen.errors++;
        break;
      }
    }
  }
  const done = Promise.all(Array.from({ length: connections }, loop));
  return {
    seen,
    done,
    stop: () => {
      stopped = true;
    },
  };
}

/** Click IDs the bench entry logged as accepted by the visit queue (BENCH_QUEUE_LOG, bench/worker/entry.ts). */
export function queuedClickIds(logFile, mark) {
  const ids = new Set();
  let text = "";
  try {
    text = readFileSync(logFile, "utf8");
  } catch {
    return ids;
  }
  for (const line of text.split("\n")) {
    if (!line.includes(mark)) continue;
    const message = String(JSON.parse(line).message ?? "");
    const list = message.slice(message.indexOf(mark) + mark.length).trim();
    for (const id of list.split(",")) if (id) ids.add(id);
  }
  return ids;
}
