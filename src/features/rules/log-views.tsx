import { DataTable } from "../../ui/components";
import type { ruleLog } from "./queries";

type Log = Awaited<ReturnType<typeof ruleLog>>;
const time = (iso: string) => iso.replace("T", " ").slice(0, 19);

/** The firing log (why each value acted: its figures then) and the notify deliveries. */
export function RuleLog({ log }: { log: Log }) {
  return (
    <>
      <h2>Firings (newest first)</h2>
      <DataTable
        columns={["Time (UTC)", "Campaign", "Value", "Figures then", "Action", "Result"]}
        rows={log.firings}
        empty="The rule has not acted yet."
        row={(f) => (
          <tr>
            <td>{time(f.firedAt)}</td>
            <td>
              <a href={`/admin/campaigns/${f.campaignId}/blocklist`}>{f.campaignId}</a>
            </td>
            <td class="mono">{f.label}</td>
            <td class="mono">
              {["visits", "conversions", "revenue", "cost", "profit", "roi"]
                .map((m) => `${m} ${f.metrics[m] ?? "–"}`)
                .join(", ")}
            </td>
            <td>{f.action}</td>
            <td>{f.result}</td>
          </tr>
        )}
      />
      <h2>Notify deliveries</h2>
      <DataTable
        columns={["Created (UTC)", "Campaign", "URL", "Status", { label: "Attempts", num: true }, "Last answer"]}
        rows={log.deliveries}
        empty="No webhook calls."
        row={(d) => (
          <tr>
            <td>{time(d.createdAt)}</td>
            <td>{d.campaignId}</td>
            <td class="mono">{d.url}</td>
            <td>{d.status}</td>
            <td class="num">{d.attempts}</td>
            <td>
              {d.lastHttpStatus !== null && `HTTP ${d.lastHttpStatus}`}
              {d.lastError && <div class="muted">{d.lastError}</div>}
            </td>
          </tr>
        )}
      />
    </>
  );
}
