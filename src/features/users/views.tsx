import { ROLES, type Role, type UserRow } from "../../db/schema";
import { DataTable } from "../../ui/components";
import { PostForm } from "../../ui/layout";
import { MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./schema";

export const ROLE_TEXT: Record<Role, string> = {
  admin: "admin: everything, users, keys and settings included",
  editor: "editor: everything but users, keys, settings and the audit log",
  viewer: "viewer: reads only",
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function RoleSelect({ current }: { current?: string }) {
  return (
    <label>
      Role
      <select name="role">
        {ROLES.map((r) => (
          <option value={r} selected={r === (current ?? "viewer")}>
            {ROLE_TEXT[r]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function UserTable({ rows }: { rows: UserRow[] }) {
  return (
    <DataTable
      id="users"
      columns={["ID", "Email", "Role", "State", "Password set", ""]}
      rows={rows}
      empty="No users yet: only the owner (admin token) can log in."
      row={(u) => (
        <tr>
          <td>{u.id}</td>
          <td>{u.email}</td>
          <td>{u.role}</td>
          <td>{u.disabled ? "disabled" : "active"}</td>
          <td>{day(u.passwordChangedAt)}</td>
          <td>
            <a href={`/admin/users/${u.id}`}>Edit</a>
          </td>
        </tr>
      )}
    />
  );
}

export function NewUserForm({ values = {}, errors }: { values?: Record<string, string>; errors?: string[] }) {
  return (
    <PostForm action="/admin/users" errors={errors} submit="Create user">
      <label>
        Email
        <input type="email" name="email" value={values.email ?? ""} required maxlength={MAX_EMAIL_LENGTH} />
      </label>
      <RoleSelect current={values.role} />
      <label>
        Password (at least {MIN_PASSWORD_LENGTH} characters; tell it to the person, who can have it changed here)
        <input
          type="password"
          name="password"
          autocomplete="new-password"
          required
          minlength={MIN_PASSWORD_LENGTH}
          maxlength={MAX_PASSWORD_LENGTH}
        />
      </label>
    </PostForm>
  );
}

export function EditUserForm({ user, errors }: { user: UserRow; errors?: string[] }) {
  return (
    <PostForm action={`/admin/users/${user.id}`} errors={errors} submit="Save user">
      <RoleSelect current={user.role} />
      <label class="check">
        <input type="checkbox" name="disabled" value="1" checked={user.disabled} /> Disabled (ends their sessions at
        once)
      </label>
      <label>
        New password (empty: unchanged; a change ends their sessions)
        <input
          type="password"
          name="password"
          autocomplete="new-password"
          minlength={MIN_PASSWORD_LENGTH}
          maxlength={MAX_PASSWORD_LENGTH}
        />
      </label>
    </PostForm>
  );
}
