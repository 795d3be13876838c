import { countD1Statements } from "./d1-counter";

/**
 * Bench mode is on only when the worker runs with BENCH_COUNT_D1=1 (`npm run bench` passes it
 * with `wrangler dev --var`); it is never set in wrangler.jsonc, so deployed workers stay inert.
 */
export function benchMode(env: Env): boolean {
  return (env as { BENCH_COUNT_D1?: string }).BENCH_COUNT_D1 === "1";
}

/** In bench mode, makes every D1 statement of this isolate counted. A no-op otherwise. */
export function countD1InBenchMode(env: Env): void {
  if (benchMode(env)) countD1Statements(env.DB);
}
