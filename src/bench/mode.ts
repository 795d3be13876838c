import { countingD1 } from "./d1-counter";

/**
 * Bench mode is on only when the worker runs with BENCH_COUNT_D1=1 (`npm run bench` passes it
 * with `wrangler dev --var`); it is never set in wrangler.jsonc, so deployed workers stay inert.
 */
export function benchMode(env: Env): boolean {
  return (env as { BENCH_COUNT_D1?: string }).BENCH_COUNT_D1 === "1";
}

/** The environment with DB counted in bench mode, untouched otherwise. */
export function withCountedD1<E extends Env>(env: E): E {
  return benchMode(env) ? { ...env, DB: countingD1(env.DB) } : env;
}
