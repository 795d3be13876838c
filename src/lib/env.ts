import type { Principal } from "../features/access/principal";
import type { Config } from "./config";
import type { Db } from "./db";

/** Hono's environment: the worker bindings (generated `Env`) and per-request variables. */
export interface AppEnv {
  Bindings: Env;
  /** `principal`: who is asking, set by requireAuth (/api) and the admin session (/admin). */
  Variables: { db: Db; config: Config; principal: Principal };
}
