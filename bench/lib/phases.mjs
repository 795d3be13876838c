// The measured phases of a bench run. Each returns plain figures for the table and the JSON.
import { mintClicks } from "./app.mjs";
import { fire, medians } from "./load.mjs";
import { cpuMs, rss, rssSampler, settleCpu } from "./servers.mjs";

/**
 * Rounds of each server in turn (the order rotated each round, so none always follows the same
 * one) after one warm-up of each; returns each server's rounds and medians under its name. Each
 * round also records the CPU time its server's workerd process used until it is quiet again
 * (settleCpu: the visits' queue consumer, the shards' deferred D1 writes and the log batches
 * included), and the next round starts only then, so no round pays for the one before it. The
 * bare worker (named "bare") must answer every request.
 */
export async function inTurn(cfg, servers, pathsFor) {
  const one = async (server, round) => {
    const cpuBefore = cpuMs(server.pid);
    const run = await fire({
      url: server.url,
      amount: cfg.amount,
      connections: cfg.connections,
      ...pathsFor(server, round),
    });
    run.cpuMs = (await settleCpu(server.pid)) - cpuBefore;
    run.cpuMsPerRequest = run.cpuMs / run.answered;
    // A ceiling that failed is no ceiling: stop rather than print a ratio against it.
    if (server.name === "bare" && run.answered !== cfg.amount)
      throw new Error(`bare worker answered ${run.answered} of ${cfg.amount}`);
    return run;
  };
  // What the phase's setup left running (the seed, minting) finishes first.
  for (const server of servers) await settleCpu(server.pid, { maxMs: 60_000 });
  const warm = {};
  for (const server of servers) warm[server.name] = await one(server, -1);
  const rounds = Object.fromEntries(servers.map((s) => [s.name, []]));
  for (let i = 0; i < cfg.rounds; i++) {
    for (let k = 0; k < servers.length; k++) {
      const server = servers[(k + i) % servers.length];
      rounds[server.name].push(await one(server, i));
    }
  }
  const out = { warm, rounds };
  for (const s of servers) out[s.name] = medians(rounds[s.name]);
  return out;
}

/** The app and the bare worker in turn (inTurn). */
export const sideBySide = (cfg, app, bare, pathsFor) => inTurn(cfg, [app, bare], pathsFor);

export async function redirects(cfg, { app, bare, api, campaignId }) {
  const before = (await api.stats()).rows.visits;
  await api.reset();
  const path = `/c/${campaignId}?var1=bench`;
  const result = await sideBySide(cfg, app, bare, () => ({ path }));
  const appRuns = [result.warm.app, ...result.rounds.app];
  const answered = appRuns.reduce((n, r) => n + r.answered, 0);
  const stats = await api.settle("visits", before + answered);
  const visits = stats.rows.visits - before;
  return {
    ...result,
    answered,
    notRedirected: appRuns.reduce((n, r) => n + r.answered - (r.statusCodes["302"] ?? 0) + r.failed + r.errors, 0),
    visits,
    d1: stats.d1,
    statementsPerVisit: stats.d1.total / visits,
  };
}

/** Mints `need` click IDs and waits until their visits are written, so counters start clean. */
export async function mintFresh(api, app, campaignId, need, connections) {
  const visits = (await api.stats()).rows.visits;
  const mint = await mintClicks(app.url, campaignId, need, connections);
  if (mint.ids.length < need) throw new Error(`minted ${mint.ids.length} click IDs, needed ${need}`);
  return { ...mint, stats: await api.settle("visits", visits + mint.run.answered) };
}

/** Postbacks, each with a click ID minted by a real click and used once. */
export async function postbacks(cfg, { app, bare, api, campaignId }) {
  const need = cfg.amount * (cfg.rounds + 1);
  const mint = await mintFresh(api, app, campaignId, need, cfg.connections);
  const before = mint.stats;
  await api.reset();
  // The app uses each minted click ID once; the bare worker ignores the parameters.
  const cursor = { app: 0, bare: 0 };
  let accepted = 0; // 200 answers; with fresh click IDs each is a new conversion
  const result = await sideBySide(cfg, app, bare, (server) => ({
    requests: [
      {
        method: "GET",
        setupRequest: (req) => {
          const n = cursor[server.name]++;
          return { ...req, path: `/postback?cid=${mint.ids[n % mint.ids.length]}&payout=1.25&txid=bench-${n}` };
        },
        onResponse: (status) => {
          if (server === app && status === 200) accepted++;
        },
      },
    ],
  }));
  const stats = await api.settle("conversions", before.rows.conversions + accepted);
  const conversions = stats.rows.conversions - before.rows.conversions;
  return {
    ...result,
    mint: mint.run,
    accepted,
    conversions,
    d1: stats.d1,
    statementsPerConversion: stats.d1.total / conversions,
    // Postbacks for one shard share its calls (src/ingest/shard-lanes.ts).
    hitsPerShardCall: (stats.lanes.hits - before.lanes.hits) / (stats.lanes.calls - before.lanes.calls),
  };
}

/** One upload of clicks × txids lines; wall time and the app's peak memory while it runs. */
export async function upload(cfg, { app, api, campaignId }) {
  const mint = await mintFresh(api, app, campaignId, cfg.clicks, cfg.connections);
  const before = mint.stats;
  await api.reset();
  const lines = [];
  for (const cid of mint.ids) for (let t = 0; t < cfg.txids; t++) lines.push(`${cid},2.5,up-${t}`);
  const body = lines.join("\n");
  // The same text as a dry run first: parsing, validation and duplicate lookups, no writes.
  // Its time, against the real upload's, shows how much of it the registration takes.
  const dryStarted = performance.now();
  const dry = await api.call("POST", "/api/conversions/upload?dryRun=1", body, { "content-type": "text/plain" });
  const drySeconds = (performance.now() - dryStarted) / 1000;
  const baseline = rss(app.pid);
  const sampler = rssSampler(app.pid);
  const cpuBefore = cpuMs(app.pid);
  const started = performance.now();
  const answer = await api.call("POST", "/api/conversions/upload", body, { "content-type": "text/plain" });
  const seconds = (performance.now() - started) / 1000;
  const peak = sampler.stop();
  const cpu = cpuMs(app.pid) - cpuBefore;
  const stats = await api.settle("conversions", before.rows.conversions + answer.summary.accepted);
  const conversions = stats.rows.conversions - before.rows.conversions;
  return {
    mint: mint.run,
    lines: lines.length,
    bodyBytes: Buffer.byteLength(body),
    seconds,
    dryRun: { seconds: drySeconds, summary: dry.summary },
    summary: answer.summary,
    conversions,
    rss: { baseline, peak },
    cpuMs: cpu,
    d1: stats.d1,
    statementsPerConversion: stats.d1.total / conversions,
  };
}

/** Redirects through a campaign's 3-rule flow to a lander (every rule evaluated), beside the bare worker. */
export async function flowRedirects(cfg, { app, bare, api, flowCampaignId }) {
  const before = (await api.stats()).rows.visits;
  await api.reset();
  const path = `/c/${flowCampaignId}?var1=bench`;
  let toLander = 0;
  const result = await sideBySide(cfg, app, bare, (server) => ({
    requests: [
      {
        method: "GET",
        path,
        onResponse: (status, _body, _ctx, headers) => {
          const location = Object.entries(headers).find(([name]) => String(name).toLowerCase() === "location")?.[1];
          if (server === app && status === 302 && String(location).startsWith("https://lander.example/")) toLander++;
        },
      },
    ],
  }));
  const appRuns = [result.warm.app, ...result.rounds.app];
  const answered = appRuns.reduce((n, r) => n + r.answered, 0);
  const stats = await api.settle("visits", before + answered);
  return { ...result, answered, toLander, visits: stats.rows.visits - before, d1: stats.d1 };
}

/** The beacon's request for a lander page that carries the campaign's parameters. */
export function directPath(campaignId) {
  return `/dt/visit?campaign=${campaignId}&url=${encodeURIComponent("https://lander.example/lp?var1=bench")}`;
}

/**
 * Direct tracking: GET /dt/visit, the beacon a lander's script sends (the page URL carries the
 * campaign's parameters), beside the bare worker. Each 200 is a visit.
 */
export async function directVisits(cfg, { app, bare, api, campaignId }) {
  const before = (await api.stats()).rows.visits;
  await api.reset();
  const path = directPath(campaignId);
  const result = await sideBySide(cfg, app, bare, () => ({ path }));
  const appRuns = [result.warm.app, ...result.rounds.app];
  const answered = appRuns.reduce((n, r) => n + r.answered, 0);
  const visited = appRuns.reduce((n, r) => n + (r.statusCodes["200"] ?? 0), 0);
  const stats = await api.settle("visits", before + visited);
  return { ...result, answered, visited, visits: stats.rows.visits - before, d1: stats.d1 };
}

/** GET /click/2 with click IDs of lander visits (each used in turn), beside the bare worker. */
export async function landerClicks(cfg, { app, bare, api, flowCampaignId }) {
  const mint = await mintFresh(api, app, flowCampaignId, Math.min(cfg.amount, 5_000), cfg.connections);
  await api.reset();
  const cursor = { app: 0, bare: 0 };
  const result = await sideBySide(cfg, app, bare, (server) => ({
    requests: [
      {
        method: "GET",
        setupRequest: (req) => ({ ...req, path: `/click/2?cid=${mint.ids[cursor[server.name]++ % mint.ids.length]}` }),
      },
    ],
  }));
  const appRuns = [result.warm.app, ...result.rounds.app];
  return {
    ...result,
    d1: (await api.stats()).d1,
    mint: mint.run,
    answered: appRuns.reduce((n, r) => n + r.answered, 0),
    notRedirected: appRuns.reduce((n, r) => n + r.answered - (r.statusCodes["302"] ?? 0) + r.failed + r.errors, 0),
  };
}
