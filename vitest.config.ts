import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig } from "vitest/config";

// Three projects, all run by `npm test`:
// - workers: test/**/*.test.ts inside workerd with real D1 and Durable Objects, on the same SQL
//   migrations that wrangler applies; storage is isolated per test file.
// - browser: test/browser/**, in Node, driving headless Chromium (playwright-core) against a
//   `wrangler dev` server the harness starts; files run one at a time (each starts a server).
// - node: test/node/**, scripts run as a user runs them.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  ADMIN_TOKEN: "test-admin-token",
                  CLICKID_SECRET: "test-clickid-secret",
                  SECRETS_KEY: "test-secrets-key-of-thirty-two-chars",
                  // The stand-in ad network (test/network-standin.ts) listens on loopback.
                  POSTBACK_PRIVATE_HOSTS: "127.0.0.1",
                  // Tests change campaigns and click at once; the cache is tested on its own.
                  CAMPAIGN_CACHE_TTL_MS: "0",
                  // Likewise settings, types and offers for postbacks; and tests read D1 right
                  // after an answer, so the shard writes it first (deferred writes: own tests).
                  INGEST_CACHE_TTL_MS: "0",
                  INGEST_D1_WRITE: "awaited",
                  // test/fuzz: `npm run fuzz` raises the runs; the seed stays fixed unless set.
                  FUZZ_RUNS: process.env.FUZZ_RUNS ?? "",
                  FUZZ_SEED: process.env.FUZZ_SEED ?? "",
                },
              },
            }),
          ],
          test: {
            name: "workers",
            // Some tests send hundreds of requests in turn; a loaded 2-core CI machine needs the room.
            testTimeout: 30_000,
            include: ["test/**/*.test.ts"],
            exclude: [...configDefaults.exclude, "test/browser/**", "test/node/**"],
            setupFiles: ["./test/apply-migrations.ts"],
            // A local HTTP server standing in for ad networks (source postbacks).
            // And stand-ins of the ad platforms' conversion APIs.
            globalSetup: ["./test/network-standin.ts", "./test/platform-standin.ts"],
          },
        },
        {
          test: {
            name: "browser",
            include: ["test/browser/**/*.test.ts"],
            environment: "node",
            fileParallelism: false,
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
        {
          // Node-side scripts (npm run deploy against a stand-in wrangler on PATH).
          test: { name: "node", include: ["test/node/**/*.test.ts"], environment: "node", testTimeout: 90_000 },
        },
      ],
    },
  };
});
