import { z } from "zod";
import { ApiError } from "./errors";
import { logError } from "./log";
import { allowPrivateHosts } from "./public-host";

/**
 * The worker's configuration (`vars` in wrangler.toml, secrets set with `wrangler secret put`),
 * parsed once per isolate with zod: code reads `c.var.config` (or `getConfig(env)` where only
 * `env` is at hand), never `env.X` with a cast. README "Configuration" lists every variable.
 */
const ms = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,9}$/, "must be a whole number of milliseconds (0 = no caching)")
    .transform(Number)
    .default(fallback);

// An empty or blank secret is no secret.
const secret = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === "" ? null : s));

const schema = z.object({
  CAMPAIGN_CACHE_TTL_MS: ms(5000),
  INGEST_CACHE_TTL_MS: ms(5000),
  INGEST_D1_WRITE: z.enum(["deferred", "awaited"]).default("deferred"),
  ADMIN_TOKEN: secret,
  CLICKID_SECRET: secret,
  SECRETS_KEY: secret,
  VISIT_QUEUE_SEND: z.enum(["batched", "awaited"]).default("batched"),
  VISIT_BATCH_WAIT_MS: ms(200),
  // Comma-separated hosts that postback URLs may name though private (a local receiver in tests).
  POSTBACK_PRIVATE_HOSTS: z.string().default(""),
});

export interface Config {
  /** How long an isolate serves a campaign's cached rotation to clicks. */
  campaignCacheTtlMs: number;
  /** Same for settings, offers, campaigns and types as postbacks and the pixel see them. */
  ingestCacheTtlMs: number;
  /** "deferred": the ingest shard answers, then writes D1; "awaited": it writes D1 first. */
  ingestD1Write: "deferred" | "awaited";
  /** null: not set, the admin side is closed. */
  adminToken: string | null;
  /** null: not set, no click ID can be minted or verified. */
  clickIdSecret: string | null;
  /** null: not set, conversion API settings can be neither saved nor sent (src/lib/secrets.ts). */
  secretsKey: string | null;
  /** "batched": visits wait in the isolate's batch; "awaited": each redirect waits for its send. */
  visitQueueSend: "batched" | "awaited";
  /** How long a visit waits in the isolate's batch before the batch is sent. */
  visitBatchWaitMs: number;
}

export type SecretName = "ADMIN_TOKEN" | "CLICKID_SECRET" | "SECRETS_KEY";

const WHAT_STOPS: Record<SecretName, string> = {
  ADMIN_TOKEN: "the admin API and pages stay closed",
  CLICKID_SECRET: "clicks and conversions are refused with 503",
  SECRETS_KEY: "conversion APIs can be neither set up nor called",
};

/** The message a missing secret is logged and answered with. */
export function missingSecret(name: SecretName): string {
  return `${name} is not set: ${WHAT_STOPS[name]} until it is (wrangler secret put ${name})`;
}

// Per env object (one per isolate in production); the log lines once per isolate whatever happens.
const parsed = new WeakMap<object, Config>();
const logged = new Set<string>();

function logOnce(line: string): void {
  if (logged.has(line)) return;
  logged.add(line);
  logError(`config: ${line}`);
}

/**
 * Parses `env`. A malformed variable is one log line and its default; a missing secret is one
 * log line, and the parts that need it answer 503 (see requireSecret). Nothing here throws.
 */
export function getConfig(env: Env): Config {
  const known = parsed.get(env);
  if (known) return known;
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape)) input[key] = (env as unknown as Record<string, unknown>)[key];
  let result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0]);
      logOnce(`${key}=${JSON.stringify(String(input[key]).slice(0, 40))} ${issue.message}; using the default`);
      delete input[key];
    }
    result = schema.safeParse(input);
  }
  const vars = result.data!;
  const config: Config = {
    campaignCacheTtlMs: vars.CAMPAIGN_CACHE_TTL_MS,
    ingestCacheTtlMs: vars.INGEST_CACHE_TTL_MS,
    ingestD1Write: vars.INGEST_D1_WRITE,
    adminToken: vars.ADMIN_TOKEN,
    clickIdSecret: vars.CLICKID_SECRET,
    secretsKey: vars.SECRETS_KEY,
    visitQueueSend: vars.VISIT_QUEUE_SEND,
    visitBatchWaitMs: vars.VISIT_BATCH_WAIT_MS,
  };
  allowPrivateHosts(
    vars.POSTBACK_PRIVATE_HOSTS.split(",")
      .map((h) => h.trim())
      .filter(Boolean),
  );
  if (config.adminToken === null) logOnce(missingSecret("ADMIN_TOKEN"));
  if (config.clickIdSecret === null) logOnce(missingSecret("CLICKID_SECRET"));
  parsed.set(env, config);
  return config;
}

/** The secret's value, or a 503 `unavailable` naming it (the caller's answer, not a 500). */
export function requireSecret(config: Config, name: SecretName): string {
  const value = {
    ADMIN_TOKEN: config.adminToken,
    CLICKID_SECRET: config.clickIdSecret,
    SECRETS_KEY: config.secretsKey,
  }[name];
  if (value === null) throw new ApiError("unavailable", missingSecret(name));
  return value;
}
