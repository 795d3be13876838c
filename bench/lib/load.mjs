// Load generation (autocannon's programmatic API) and the figures taken from each run.
import autocannon from "autocannon";

/**
 * Fires exactly `amount` requests over `connections` keep-alive connections and waits for every
 * answer, so "answered" can be compared with rows written. `requests` is autocannon's list.
 * The time is our own, from the start to the last answer: autocannon notices the end only at its
 * next one-second sample, which would add up to a second to a round of a few seconds.
 */
export function fire({ url, amount, connections, requests, path }) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let last = started;
    const instance = autocannon(
      {
        url: url + (path ?? ""),
        amount,
        connections: Math.min(connections, amount),
        pipelining: 1,
        timeout: 30,
        requests,
      },
      (err, result) => (err ? reject(err) : resolve(summarize(result, (last - started) / 1000))),
    );
    instance.on("response", () => (last = performance.now()));
  });
}

function summarize(r, seconds) {
  const answered = r["2xx"] + r["3xx"];
  return {
    sent: r.requests.sent,
    answered,
    failed: r["1xx"] + r["4xx"] + r["5xx"],
    errors: r.errors,
    timeouts: r.timeouts,
    seconds,
    rps: answered / seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of each figure over rounds. */
export function medians(runs) {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    cpuMsPerRequest: median(runs.map((r) => r.cpuMsPerRequest)),
  };
}
