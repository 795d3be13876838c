declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** Fuzzing (test/fuzz/harness.ts): more runs and another seed, from `npm run fuzz`. */
    FUZZ_RUNS: string;
    FUZZ_SEED: string;
  }
}

// Vite's ?raw import: a file's text (the wrangler.toml checks).
declare module "*?raw" {
  const text: string;
  export default text;
}
