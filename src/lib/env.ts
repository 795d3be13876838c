import type { Config } from "./config";
import type { Db } from "./db";

/** Hono's environment: the worker bindings (generated `Env`) and per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: { db: Db; config: Config; requestId: string };
}
