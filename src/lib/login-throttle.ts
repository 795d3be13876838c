import { DurableObject } from "cloudflare:workers";
import ipaddr from "ipaddr.js";

/** docs/admin-pages.md: after this many failed logins within WINDOW_MS from one address, 429. */
export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60_000;

export type AttemptAnswer = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * One object per client address (the login form and the API bearer token share it). It keeps
 * the times of the failures within the last WINDOW_MS, at most MAX_FAILURES of them, and an
 * alarm wipes them once the newest is older than the window, so idle addresses cost nothing.
 * Each attempt is one RPC that decides and counts at once, so parallel guesses cannot slip
 * past the limit between a check and a count.
 */
export class LoginThrottle extends DurableObject<Env> {
  /**
   * `ok`: whether the token was right. Refused (whatever `ok`) while MAX_FAILURES failures lie
   * within the window; otherwise allowed, and a wrong token is counted. Refusals are not counted,
   * so Retry-After tells the truth: one attempt is let in once the oldest failure ages out.
   */
  async attempt(ok: boolean, now: number): Promise<AttemptAnswer> {
    const failures = (this.ctx.storage.kv.get<number[]>("failures") ?? []).filter((t) => t > now - WINDOW_MS);
    if (failures.length >= MAX_FAILURES) {
      const retryAfterMs = failures[failures.length - MAX_FAILURES]! + WINDOW_MS - now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
    }
    if (!ok) {
      failures.push(now);
      this.ctx.storage.kv.put("failures", failures);
      await this.ctx.storage.setAlarm(now + WINDOW_MS);
    }
    return { allowed: true };
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}

/**
 * The address a login comes from: CF-Connecting-IP, which Cloudflare sets on every request and
 * a client cannot override. An IPv6 address counts as its /64 (one customer's usual
 * allocation), so rotating addresses inside it gains nothing. Without the header (local `npm
 * start`, tests) every client shares one key.
 */
export function throttleKey(ip: string | undefined | null): string {
  if (!ip || !ipaddr.isValid(ip)) return "unknown";
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") return address.toString();
  const parts = (address as ipaddr.IPv6).toNormalizedString().split(":").slice(0, 4);
  return `${parts.join(":")}::/64`;
}

/** Counts one login attempt from the request's address; see LoginThrottle.attempt. */
export function loginAttempt(env: Env, ip: string | undefined | null, ok: boolean): Promise<AttemptAnswer> {
  return env.LOGIN_THROTTLE.getByName(throttleKey(ip)).attempt(ok, Date.now());
}
