import type { ApiKeyRow } from "../../db/schema";
import { MAX_NAME_LENGTH } from "../../lib/names";
import { DataTable } from "../../ui/components";
import { CopyField, PostForm } from "../../ui/layout";
import { RoleSelect } from "../users/views";

const when = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString().replace("T", " ").slice(0, 16));

export function KeyTable({ rows }: { rows: ApiKeyRow[] }) {
  return (
    <DataTable
      id="keys"
      columns={["ID", "Name", "Role", "Key", "Created (UTC)", "Last used (UTC)", ""]}
      rows={rows}
      empty="No API keys yet."
      row={(k) => (
        <tr>
          <td>{k.id}</td>
          <td>{k.name}</td>
          <td>{k.role}</td>
          <td class="mono">{k.prefix}…</td>
          <td>{when(k.createdAt)}</td>
          <td>{when(k.lastUsedAt)}</td>
          <td>
            {k.revokedAt !== null ? (
              `revoked ${when(k.revokedAt)}`
            ) : (
              <form method="post" action={`/admin/keys/${k.id}/revoke`}>
                <button type="submit" class="secondary">
                  Revoke
                </button>
              </form>
            )}
          </td>
        </tr>
      )}
    />
  );
}

export function NewKeyForm({ errors, name }: { errors?: string[]; name?: string }) {
  return (
    <PostForm action="/admin/keys" errors={errors} submit="Create key">
      <label>
        Name (what uses it: "reporting script")
        <input type="text" name="name" value={name ?? ""} required maxlength={MAX_NAME_LENGTH} />
      </label>
      <RoleSelect />
    </PostForm>
  );
}

/** The new key, shown this once: only its hash is kept. */
export function NewKey({ name, keyText }: { name: string; keyText: string }) {
  return (
    <div class="notice good" role="status">
      <p>
        Key "{name}" created. Copy it now: it is not stored and cannot be shown again. Send it as{" "}
        <code>Authorization: Bearer …</code>.
      </p>
      <CopyField value={keyText} label="New API key" />
    </div>
  );
}
