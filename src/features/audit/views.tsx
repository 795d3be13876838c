import type { ApiKeyRow, AuditRow, UserRow } from "../../db/schema";
import { DataTable } from "../../ui/components";
import { ENTITY_NAMES } from "./schema";

const show = (v: unknown) => (v === null || v === undefined ? "(none)" : typeof v === "string" ? v : JSON.stringify(v));

function Changes({ json }: { json: string }) {
  const changes = JSON.parse(json) as Record<string, { from: unknown; to: unknown }>;
  return (
    <div class="mono">
      {Object.entries(changes).map(([field, c]) => (
        <div>
          {field}: {show(c.from)} → {show(c.to)}
        </div>
      ))}
    </div>
  );
}

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <DataTable
      id="audit"
      columns={["When (UTC)", "Who", "Via", "Entity", "ID", "Action", "Changes"]}
      rows={rows}
      empty="No changes recorded."
      row={(r) => (
        <tr>
          <td>{new Date(r.at).toISOString().replace("T", " ").slice(0, 19)}</td>
          <td>{r.actorKind === "owner" ? "owner" : `${r.actorKind} ${r.actorId}: ${r.actorLabel}`}</td>
          <td>{r.via}</td>
          <td>{r.entity}</td>
          <td class="mono">{r.entityId ?? ""}</td>
          <td>{r.action}</td>
          <td>
            <Changes json={r.changes} />
          </td>
        </tr>
      )}
    />
  );
}

/** Filters by person (or key) and entity; a GET form, so a filtered view is a link. */
export function AuditFilter(props: { users: UserRow[]; keys: ApiKeyRow[]; actor?: string; entity?: string }) {
  const people = [
    ["owner", "owner (admin token)"],
    ...props.users.map((u) => [`user:${u.id}`, `user: ${u.email}`]),
    ...props.keys.map((k) => [`key:${k.id}`, `key: ${k.name}`]),
  ];
  return (
    <form method="get" action="/admin/audit" class="inline">
      <label>
        Who
        <select name="actor">
          <option value="">anyone</option>
          {people.map(([value, label]) => (
            <option value={value} selected={value === props.actor}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Entity
        <select name="entity">
          <option value="">any</option>
          {ENTITY_NAMES.map((e) => (
            <option value={e} selected={e === props.entity}>
              {e}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Apply</button>
    </form>
  );
}
