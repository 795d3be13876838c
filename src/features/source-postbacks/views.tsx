import type { SourcePostbackRow } from "../../db/schema";
import { DataTable } from "../../ui/components";
import { DELIVERY_STATES, type DeliveryState } from "./schema";

const LOG = "/admin/source-postbacks";
// What a delivery called, shown before its URL.
const KIND_LABELS = { url: "", meta: "Meta Conversions API: ", tiktok: "TikTok Events API: ", google: "Google Ads: " };
const time = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);

export function StatusFilter({ current }: { current?: DeliveryState }) {
  return (
    <p>
      Show:{" "}
      <a href={LOG} aria-current={current ? undefined : "page"}>
        all
      </a>
      {DELIVERY_STATES.map((s) => (
        <>
          {" · "}
          <a href={`${LOG}?status=${s}`} aria-current={current === s ? "page" : undefined}>
            {s}
          </a>
        </>
      ))}
    </p>
  );
}

/** One row per delivery: what was called, how it answered, and a Retry button once it failed. */
export function DeliveryTable({ rows, sourceNames }: { rows: SourcePostbackRow[]; sourceNames: Map<unknown, string> }) {
  return (
    <DataTable
      columns={[
        "Created (UTC)",
        "Conversion",
        "Source",
        "URL called",
        "Status",
        { label: "Attempts", num: true },
        "Last answer",
        "Updated (UTC)",
        "",
      ]}
      rows={rows}
      empty="No postbacks to traffic sources yet: they start when a conversion arrives for a campaign whose traffic source has a postback URL or a conversion API."
      row={(r) => (
        <tr>
          <td>{time(r.createdAt)}</td>
          <td class="mono">
            {r.conversionId} ({r.conversionStatus})
          </td>
          <td>
            <a href={`/admin/traffic-sources/${r.trafficSourceId}`}>
              {sourceNames.get(r.trafficSourceId) ?? `source ${r.trafficSourceId}`}
            </a>
          </td>
          <td class="mono">
            {KIND_LABELS[r.kind]}
            {r.url ?? <span class="muted">not called yet</span>}
          </td>
          <td>{r.state}</td>
          <td class="num">{r.attempts}</td>
          <td>
            {r.lastHttpStatus !== null && `HTTP ${r.lastHttpStatus}`}
            {r.lastError !== null && r.lastError !== `HTTP ${r.lastHttpStatus}` && (
              <div class="muted">{r.lastError}</div>
            )}
          </td>
          <td>{time(r.updatedAt)}</td>
          <td>
            {r.state === "failed" && (
              <form class="inline" method="post" action={`${LOG}/${encodeURIComponent(r.id)}/retry`}>
                <button type="submit">Retry</button>
              </form>
            )}
          </td>
        </tr>
      )}
    />
  );
}
