declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** Fuzzing (test/fuzz/harness.ts): more runs and another seed, from `npm run fuzz`. */
    FUZZ_RUNS: string;
    FUZZ_SEED: string;
  }
}
