import { loadCampaignForClick } from "../../click/campaign-cache";
import type { LearnedWeights } from "../../db/schema";
import type { Db } from "../../lib/db";
import { DataTable } from "../../ui/components";
import { effectiveWeightsJson, weightHistory } from "./weights";

const HOUR_MS = 3_600_000;

/** Each learned series as "offer 12" or "path 70001 lander 3", with its weights' key. */
function series(w: LearnedWeights): [string, number][] {
  const out: [string, number][] = Object.entries(w.offers ?? {}).map(([id, v]) => [`offer ${id}`, v]);
  for (const [path, p] of Object.entries(w.paths ?? {})) {
    for (const [id, v] of Object.entries(p.offers ?? {})) out.push([`path ${path} offer ${id}`, v]);
    for (const [id, v] of Object.entries(p.landers ?? {})) out.push([`path ${path} lander ${id}`, v]);
  }
  return out;
}

/**
 * The campaign page's learned weights: what the redirect uses now, and the last day's history
 * as a table (the chart script, weights.client.js, draws it with uPlot).
 */
export async function LearnedWeightsPanel({ db, campaignId }: { db: Db; campaignId: number }) {
  const campaign = await loadCampaignForClick(db, campaignId);
  if (!campaign) return null;
  const now = Date.now();
  const [effective, history] = [
    effectiveWeightsJson(campaign),
    await weightHistory(db, campaignId, now - 24 * HOUR_MS, now + 1),
  ];
  const names = series(history.at(-1)?.weights ?? {}).map(([n]) => n);
  const rows = [
    ...effective.offers.map((o) => ({ what: `offer ${o.offerId}`, weight: o.weight, share: o.share })),
    ...effective.paths.flatMap((p) => [
      ...p.landers.map((l) => ({ what: `path ${p.name} lander ${l.landerId}`, weight: l.weight, share: l.share })),
      ...p.offers.map((o) => ({ what: `path ${p.name} offer ${o.offerId}`, weight: o.weight, share: o.share })),
    ]),
  ];
  return (
    <section>
      <h2>Weights the redirect uses now</h2>
      <p class="muted">
        {effective.learnedAt
          ? `Learned at ${effective.learnedAt.replace("T", " ").slice(0, 19)} UTC (recomputed every 5 minutes).`
          : "As configured (nothing learned: no optimize setting, or not computed yet)."}{" "}
        <a href={`/admin/campaigns/${campaignId}/blocklist`}>Blocklist and pauses</a>
      </p>
      <DataTable
        columns={["Option", { label: "Weight", num: true }, { label: "Share", num: true }]}
        rows={rows}
        row={(r) => (
          <tr>
            <td>{r.what}</td>
            <td class="num">{r.weight}</td>
            <td class="num">{(r.share * 100).toFixed(1)}%</td>
          </tr>
        )}
      />
      {history.length > 0 && (
        <>
          <link rel="stylesheet" href="/admin/assets/uplot.css" />
          <script src="/admin/assets/uplot.js" defer></script>
          <script src="/admin/assets/weights.js" defer></script>
          <div class="chart" id="weights-chart" role="img" aria-label="Learned shares over the last 24 hours" />
          <details id="weights-figures" open>
            <summary>Learned weights, last 24 hours</summary>
            <DataTable
              id="weights-history"
              columns={["Time (UTC)", ...names.map((n) => ({ label: n, num: true }))]}
              rows={history}
              row={(h) => {
                const values = new Map(series(h.weights));
                return (
                  <tr data-time={h.computedAt}>
                    <td>{h.computedAt.replace("T", " ").slice(0, 16)}</td>
                    {names.map((n) => (
                      <td class="num" data-series={n} data-value={String(values.get(n) ?? "")}>
                        {values.get(n) ?? ""}
                      </td>
                    ))}
                  </tr>
                );
              }}
            />
          </details>
        </>
      )}
    </section>
  );
}
