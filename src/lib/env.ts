import type { Role } from "../db/schema";
import type { Config } from "./config";
import type { Db } from "./db";

/** Hono's environment: the worker bindings (generated `Env`) and per-request variables. */
export interface AppEnv {
  Bindings: Env;
  /** `principal`: who is asking, set by requireAuth (/api) and the admin session (/admin). */
  Variables: { db: Db; config: Config; requestId: string; principal: Principal };
}

/**
 * Who is asking: the owner (ADMIN_TOKEN, always admin), a user (admin pages, by email and
 * password) or an API key (/api/*). `label` is the email or key name, for the audit log.
 */
export type Principal =
  | { kind: "owner"; id: null; role: "admin"; label: string }
  | { kind: "user" | "key"; id: number; role: Role; label: string };
