import type { Context } from "hono";
import type { UserRow } from "../../db/schema";
import { countLogin } from "../../lib/auth";
import type { AppEnv } from "../../lib/env";
import { verifyPassword } from "./passwords";
import { findUserByEmail } from "./queries";

const storedHash = (u: UserRow) => ({
  algorithm: u.passwordAlgorithm,
  iterations: u.passwordIterations,
  salt: u.passwordSalt,
  hash: u.passwordHash,
});

/**
 * A user's email and password: the user when both are right and the account is enabled, else
 * null. Counted against the address's failed logins like the admin token (429 past the limit,
 * thrown as an ApiError). An unknown email costs the same hashing work as a wrong password.
 */
export async function checkUserLogin(c: Context<AppEnv>, email: string, password: string): Promise<UserRow | null> {
  const user = await findUserByEmail(c.var.db, email);
  const usable = user && !user.disabled ? user : undefined;
  const ok = await verifyPassword(password, usable && storedHash(usable));
  await countLogin(c.env, c.req.header("cf-connecting-ip"), ok);
  return ok ? usable! : null;
}
