import { timingSafeEqual } from "hono/utils/buffer";

/**
 * Password hashing: PBKDF2-SHA-256 through WebCrypto, 100,000 iterations. That is the most the
 * Workers runtime allows in production ("iteration counts above 100000 are not supported"),
 * although the local runtime accepts more: a higher count would pass every local test and fail
 * every real login. The algorithm, count and salt are stored with each hash, so a later count
 * (or algorithm) applies to new passwords while old hashes keep verifying. docs/teams.md.
 */
export const PASSWORD_ALGORITHM = "pbkdf2-sha256";
export const PASSWORD_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;

export interface PasswordHash {
  algorithm: string;
  iterations: number;
  salt: string;
  hash: string;
}

const b64 = (bytes: ArrayBuffer | Uint8Array) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const unb64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<ArrayBuffer> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, HASH_BITS);
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, PASSWORD_ITERATIONS);
  return { algorithm: PASSWORD_ALGORITHM, iterations: PASSWORD_ITERATIONS, salt: b64(salt), hash: b64(hash) };
}

// Verified against when the email is unknown, so a wrong address costs as long as a wrong password.
let decoy: Promise<PasswordHash> | undefined;

/** True when `password` matches `stored`; without `stored`, spends the same work and says false. */
export async function verifyPassword(password: string, stored: PasswordHash | undefined): Promise<boolean> {
  const target = stored ?? (await (decoy ??= hashPassword(crypto.randomUUID())));
  if (target.algorithm !== PASSWORD_ALGORITHM) return false;
  const hash = await derive(password, unb64(target.salt), target.iterations);
  return (await timingSafeEqual(b64(hash), target.hash)) && stored !== undefined;
}
