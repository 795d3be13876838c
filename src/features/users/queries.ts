import { asc, eq } from "drizzle-orm";
import { adminSessions, type Role, type UserRow, users } from "../../db/schema";
import type { Db } from "../../lib/db";
import { ApiError } from "../../lib/errors";
import { hashPassword } from "./passwords";

export function listUsers(db: Db): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.id)).all();
}

export function getUser(db: Db, id: number): Promise<UserRow | undefined> {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
}

function passwordColumns(h: Awaited<ReturnType<typeof hashPassword>>, now: number) {
  return {
    passwordAlgorithm: h.algorithm,
    passwordIterations: h.iterations,
    passwordSalt: h.salt,
    passwordHash: h.hash,
    passwordChangedAt: now,
  };
}

/** 409 naming `email` when the address has an account (disabled ones keep theirs). */
export async function createUser(db: Db, input: { email: string; role: Role; password: string }): Promise<UserRow> {
  const now = Date.now();
  const [row] = await db
    .insert(users)
    .values({
      email: input.email,
      role: input.role,
      ...passwordColumns(await hashPassword(input.password), now),
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!row)
    throw new ApiError("conflict", `A user with the email ${input.email} already exists`, [
      { path: "email", message: "is taken" },
    ]);
  return row;
}

/**
 * Disabling a user or changing their password ends every session they have, in the same
 * transaction: their next page load goes to the login page. Undefined: no such user.
 */
export async function updateUser(
  db: Db,
  id: number,
  patch: { role?: Role; disabled?: boolean; password?: string },
): Promise<UserRow | undefined> {
  const now = Date.now();
  const values: Partial<UserRow> = { updatedAt: now };
  if (patch.role !== undefined) values.role = patch.role;
  if (patch.disabled !== undefined) values.disabled = patch.disabled;
  if (patch.password !== undefined) Object.assign(values, passwordColumns(await hashPassword(patch.password), now));
  const update = db.update(users).set(values).where(eq(users.id, id)).returning();
  if (!patch.disabled && patch.password === undefined) return (await update)[0];
  const [rows] = await db.batch([update, db.delete(adminSessions).where(eq(adminSessions.userId, id))]);
  return rows[0];
}

/** The API's view of a user: never the password hash or salt. */
export function userJson(row: UserRow) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    disabled: row.disabled,
    passwordChangedAt: new Date(row.passwordChangedAt).toISOString(),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
