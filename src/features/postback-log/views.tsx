import type { PostbackLogRow } from "../../db/schema";
import { DataTable } from "../../ui/components";
import { LOG_STATUSES, type LogStatus } from "./schema";

/** "cid ← subid": which parameter a field was read from, where it was not the field's own name. */
function ReadFrom({ json }: { json: string | null }) {
  const read = json === null ? {} : (JSON.parse(json) as Record<string, string>);
  const aliased = Object.entries(read).filter(([field, name]) => field !== name);
  if (aliased.length === 0) return null;
  return (
    <div class="muted">
      {aliased.map(([field, name]) => (
        <div>
          {field} ← {name}
        </div>
      ))}
    </div>
  );
}

function Params({ json }: { json: string }) {
  let params: Record<string, string>;
  try {
    params = JSON.parse(json) as Record<string, string>;
  } catch {
    return <span class="mono">{json}</span>;
  }
  return (
    <span class="mono">
      {Object.entries(params).map(([k, v]) => (
        <div>
          {k}={v}
        </div>
      ))}
    </span>
  );
}

export function StatusFilter({ current }: { current?: LogStatus }) {
  return (
    <p>
      Show:{" "}
      <a href="/admin/postbacks" aria-current={current ? undefined : "page"}>
        all
      </a>
      {LOG_STATUSES.map((s) => (
        <>
          {" · "}
          <a href={`/admin/postbacks?status=${s}`} aria-current={current === s ? "page" : undefined}>
            {s}
          </a>
        </>
      ))}
    </p>
  );
}

export function LogTable({ rows }: { rows: PostbackLogRow[] }) {
  return (
    <DataTable
      columns={["Received (UTC)", "Source", "IP", "Parameters", "Result", "Reason", "Conversion ID"]}
      rows={rows}
      empty="No postbacks received."
      row={(r) => (
        <tr>
          <td>{new Date(r.receivedAt).toISOString().replace("T", " ").slice(0, 19)}</td>
          <td>{r.source}</td>
          <td class="mono">{r.ip ?? ""}</td>
          <td>
            <Params json={r.params} />
            <ReadFrom json={r.readFrom} />
          </td>
          <td>
            {r.status} ({r.httpStatus})
          </td>
          <td>{r.reason ?? ""}</td>
          <td class="mono">{r.conversionId ?? ""}</td>
        </tr>
      )}
    />
  );
}
