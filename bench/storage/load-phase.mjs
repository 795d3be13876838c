// Clicks under load: no visit lost through a 60 s D1 outage, and what awaiting the queue costs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { applyMigrations } from "../lib/servers.mjs";
import { setupCampaigns, start } from "./server.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withApp(script, vars, fn) {
  const persistTo = mkdtempSync(join(tmpdir(), "ct-bench-load-"));
  const { mf, url } = await start({ script, persistTo, vars });
  try {
    await applyMigrations(mf);
    const { campaigns } = await setupCampaigns(url, 1);
    return await fn(url, campaigns[0]);
  } finally {
    await mf.dispose();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

const stats = async (url) => (await fetch(`${url}/__bench/stats`)).json();

/**
 * Clicks for `seconds` from `connections` clients; D1 fails for `outageMs` from `outageAt`.
 * Then waits (running the cron every 15 s, which replays dead letters) until every answered
 * click is a stored visit, or 10 minutes pass: lost = answered − stored.
 */
export async function outage(script, { seconds = 90, outageAt = 10, outageMs = 60_000, connections = 16 } = {}) {
  return withApp(script, {}, async (url, campaignId) => {
    const end = Date.now() + seconds * 1000;
    let answered = 0;
    let failed = 0;
    let n = 0;
    const client = async () => {
      while (Date.now() < end) {
        const res = await fetch(`${url}/c/${campaignId}?var1=zone${n++ % 50}`, { redirect: "manual" }).catch(
          () => null,
        );
        if (res?.status === 302) answered++;
        else failed++;
        await res?.arrayBuffer();
      }
    };
    const outageTimer = setTimeout(
      () => fetch(`${url}/__bench/outage?ms=${outageMs}`, { method: "POST" }),
      outageAt * 1000,
    );
    await Promise.all(Array.from({ length: connections }, client));
    clearTimeout(outageTimer);
    const loadEnded = Date.now();
    const outageEnded = loadEnded - (seconds - outageAt) * 1000 + outageMs;
    let s = await stats(url);
    for (let i = 0; s.visits < answered && Date.now() - loadEnded < 600_000; i++) {
      await sleep(2000);
      if (i % 7 === 6) await fetch(`${url}/__bench/cron`, { method: "POST" });
      s = await stats(url);
    }
    return {
      seconds,
      outageSeconds: outageMs / 1000,
      answered,
      failedRequests: failed,
      stored: s.visits,
      lost: answered - s.visits,
      rollupVisits: s.rollupVisits,
      d1CallsRefused: s.failures,
      storedSecondsAfterOutage: Math.round((Date.now() - outageEnded) / 1000),
    };
  });
}

/** Redirects per second with VISIT_QUEUE_SEND batched, then awaited, each on a fresh server. */
export async function redirectCost(script, { duration = 10, connections = 20 } = {}) {
  const out = [];
  for (const mode of ["batched", "awaited"]) {
    out.push(
      await withApp(script, { VISIT_QUEUE_SEND: mode }, async (url, campaignId) => {
        const path = `${url}/c/${campaignId}?var1=zone7`;
        await autocannon({ url: path, connections, duration: 2 }); // warm-up
        const r = await autocannon({ url: path, connections, duration });
        return {
          mode,
          requestsPerSecond: r.requests.average,
          p50ms: r.latency.p50,
          p99ms: r.latency.p99,
          redirects: r["3xx"] ?? r.non2xx,
          errors: r.errors,
        };
      }),
    );
  }
  const batched = out[0].requestsPerSecond;
  return out.map((r) => ({ ...r, vsBatched: Number((r.requestsPerSecond / batched).toFixed(2)) }));
}
