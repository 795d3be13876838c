import { z } from "zod";
import { ROLES } from "../../db/schema";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_EMAIL_LENGTH = 254;

export const roleSchema = z.enum(ROLES);

/** Emails compare lower-cased: one account per address, whatever case it is typed in. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(MAX_EMAIL_LENGTH)
  .pipe(z.email("must be an email address"));

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

/** POST /api/users and the new-user form. */
export const userBody = z.strictObject({ email: emailSchema, role: roleSchema, password: passwordSchema });

/** PATCH /api/users/:id: a field left out keeps its value. */
export const userPatch = z
  .strictObject({ role: roleSchema, disabled: z.boolean(), password: passwordSchema })
  .partial();

/** The edit form: role and disabled always sent, the password only when typed. */
export const userForm = z.preprocess((input) => {
  const form = input as Record<string, string | undefined>;
  return {
    role: form.role,
    disabled: form.disabled === "1",
    ...(form.password ? { password: form.password } : {}),
  };
}, userPatch);

export const USER_LABELS = { email: "Email", role: "Role", password: "Password", disabled: "Disabled" };
