// Builds bench/storage/entry.ts the way `wrangler deploy` bundles the app and serves it on
// Miniflare directly (one workerd, no wrangler dev proxy), with the app's own configuration:
// D1, the visits queue and its dead-letter queue, R2, Durable Objects.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { bundleModules } from "../lib/servers.mjs";

export const root = join(import.meta.dirname, "..", "..");
export const ADMIN_TOKEN = "bench-admin-token";
const config = join(root, "wrangler.toml");
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };

export function build(outdir) {
  const wrangler = join(root, "node_modules", ".bin", "wrangler");
  const entry = join(root, "bench", "storage", "entry.ts");
  const run = spawnSync(wrangler, ["deploy", entry, "--dry-run", "--outdir", outdir, "-c", config], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.stdout}\n${run.stderr}`);
  return join(outdir, "entry.js");
}

/** Starts the app on a free port; `vars` override wrangler.toml's (VISIT_QUEUE_SEND, …). */
export async function start({ script, persistTo, vars = {} }) {
  const { modulesRules: _, ...options } = unstable_getMiniflareWorkerOptions(config).workerOptions;
  const worker = {
    ...options,
    name: "clicktrail",
    ...bundleModules(script),
    bindings: {
      ...options.bindings,
      ADMIN_TOKEN,
      CLICKID_SECRET: "bench-clickid-secret",
      CAMPAIGN_CACHE_TTL_MS: "60000",
      ...vars,
    },
  };
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      cf: false,
      log: new Log(LogLevel.ERROR),
      resourcePersistencePath: persistTo,
      workers: [worker],
    }),
  );
  const url = (await mf.ready).origin;
  return { mf, url };
}

/** The SQLite file Miniflare keeps the D1 database in (the largest under the persist path). */
export function d1File(persistTo) {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".sqlite") && p.includes("D1")) files.push(p);
    }
  };
  walk(persistTo);
  if (files.length === 0) throw new Error(`no D1 file under ${persistTo}`);
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

export async function api(url, path, init = {}) {
  const res = await fetch(url + path, {
    ...init,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json", ...init.headers },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** An offer and `n` campaigns with two offers each; returns their ids. */
export async function setupCampaigns(url, n) {
  const post = (path, body) => api(url, path, { method: "POST", body: JSON.stringify(body) });
  const offers = [];
  for (let i = 0; i < 2; i++)
    offers.push(
      (
        await post("/api/offers", {
          name: `o${i}`,
          url: "https://offer.example/?c={clickid}",
          payout: { mode: "auto" },
        })
      ).id,
    );
  const campaigns = [];
  for (let i = 0; i < n; i++)
    campaigns.push(
      (
        await post("/api/campaigns", {
          name: `c${i}`,
          offers: offers.map((offerId) => ({ offerId, weight: 1 })),
          costPerClick: 0.01,
        })
      ).id,
    );
  return { offers, campaigns };
}
