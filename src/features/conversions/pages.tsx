import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { formatCount, formatMoney } from "../../lib/format";
import { getSettings } from "../../model/settings";
import { labelsFor } from "../../reports/labels";
import type { DateRange } from "../../reports/range";
import { DataTable } from "../../ui/components";
import { Layout } from "../../ui/layout";
import { CampaignSelect, RangeForm, readRange } from "../../ui/range-form";
import { listCampaigns } from "../campaigns/queries";
import { decodeCursor } from "./cursor";
import { conversionsCsv } from "./export";
import { type ConversionJson, conversionTotals, listConversions } from "./queries";
import { conversionsQuery } from "./schema";

const PAGE_SIZE = 100;
/** "2026-05-01T10:00:00.000+02:00" -> "2026-05-01 10:00:00": the page states its zone once. */
const local = (iso: unknown) => String(iso).slice(0, 19).replace("T", " ");

const STATUSES = ["approved", "pending", "rejected"] as const;

function filterParams(range: DateRange, campaignId?: number, extra: Record<string, string> = {}, status?: string) {
  const p = new URLSearchParams({ from: range.from, to: range.to, tz: range.tz, ...extra });
  if (campaignId !== undefined) p.set("campaignId", String(campaignId));
  if (status !== undefined) p.set("status", status);
  return p.toString();
}

function StatusSelect({ value }: { value?: string }) {
  return (
    <label>
      Status
      <select name="status">
        <option value="">Any status</option>
        {STATUSES.map((s) => (
          <option value={s} selected={s === value}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The range's conversions per status with their payouts, whatever page is shown. */
function Totals({
  totals,
  currency,
}: {
  totals: { status: string; count: number; payout: number }[];
  currency: string;
}) {
  const all = totals.reduce((n, t) => n + t.count, 0);
  return (
    <p id="conversion-totals">
      <strong>{formatCount(all)} conversions</strong>
      {totals.map((t) => (
        <span>
          {" · "}
          {t.status} {formatCount(t.count)}, {formatMoney(t.payout, currency)}
        </span>
      ))}
    </p>
  );
}

function ConversionTable({
  rows,
  names,
  accountCurrency,
}: {
  rows: ConversionJson[];
  names: { campaigns: Map<unknown, string>; offers: Map<unknown, string> };
  accountCurrency: string;
}) {
  if (rows.length === 0) return <p class="muted">No conversions in this range.</p>;
  return (
    <DataTable
      id="conversions"
      columns={[
        "Conversion time",
        "Click ID",
        "Campaign",
        "Offer",
        "Type",
        "Transaction ID",
        "Status",
        { label: "Payout", num: true },
        "Source",
        "Received",
        "Extra parameters",
      ]}
      rows={rows}
      row={(r) => (
        <tr>
          <td>{local(r.conversionTime)}</td>
          <td class="mono nowrap">
            <a href={`/admin/visits?clickId=${encodeURIComponent(String(r.clickId))}`}>{r.clickId}</a>
          </td>
          <td>{names.campaigns.get(r.campaignId) ?? r.campaignId}</td>
          <td>{r.offerId === null ? "(none)" : (names.offers.get(r.offerId) ?? r.offerId)}</td>
          <td>{r.type ?? <span class="muted">default</span>}</td>
          <td class="mono">{r.txid ?? ""}</td>
          <td>
            {r.status}
            {r.statusChangedAt && <div class="muted">since {local(r.statusChangedAt)}</div>}
          </td>
          <td class="num">
            {formatMoney(r.payout as number, accountCurrency)}
            {r.currency !== null && r.currency !== accountCurrency && (
              <div class="muted">
                {r.originalPayout} {r.currency}
              </div>
            )}
          </td>
          <td>{r.source}</td>
          <td>{local(r.receivedAt)}</td>
          <td class="mono">
            {Object.entries(r.extra ?? {}).map(([k, v]) => (
              <div>
                {k}={v}
              </div>
            ))}
          </td>
        </tr>
      )}
    />
  );
}

/** /admin/conversions: the list with a date range and Apply, newest first, 100 a page, CSV download. */
export const conversionPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const db = c.var.db;
    const campaigns = await listCampaigns(db, { includeArchived: true });
    const result = await readRange(db, conversionsQuery, c.req.query());
    const campaignSelect = (value?: string) => <CampaignSelect campaigns={campaigns} value={value} />;
    if (!result.ok) {
      const v = result.values;
      return c.html(
        <Layout title="Conversions" active="/admin/conversions">
          <RangeForm
            action="/admin/conversions"
            from={v.from ?? ""}
            to={v.to ?? ""}
            tz={v.tz ?? "UTC"}
            errors={result.errors}
          >
            {campaignSelect(v.campaignId)}
            <StatusSelect value={v.status} />
          </RangeForm>
        </Layout>,
        400,
      );
    }
    const { range, query } = result;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const { campaignId, status } = query;
    const [page, { currency }, totals] = await Promise.all([
      listConversions(db, { range, campaignId, status, after, limit: PAGE_SIZE }),
      getSettings(db),
      conversionTotals(db, { range, campaignId }),
    ]);
    const names = {
      campaigns: await labelsFor(db, "campaign", [...new Set(page.conversions.map((r) => r.campaignId as number))]),
      offers: await labelsFor(db, "offer", [...new Set(page.conversions.map((r) => r.offerId as number))]),
    };
    return c.html(
      <Layout title="Conversions" active="/admin/conversions">
        <RangeForm
          action="/admin/conversions"
          from={range.from}
          to={range.to}
          tz={range.tz}
          keep={[
            ...(campaignId === undefined ? [] : [["campaignId", String(campaignId)] as [string, string]]),
            ...(status === undefined ? [] : [["status", status] as [string, string]]),
          ]}
        >
          {campaignSelect(campaignId === undefined ? undefined : String(campaignId))}
          <StatusSelect value={status} />
        </RangeForm>
        <Totals totals={totals} currency={currency} />
        <p>
          <span class="muted">
            {range.from} to {range.to}, times in {range.tz}, payouts in {currency}, newest first.{" "}
          </span>
          <a
            class="button secondary"
            href={`/admin/conversions/csv?${filterParams(range, campaignId, {}, status)}`}
            download
          >
            Download CSV
          </a>
        </p>
        <ConversionTable rows={page.conversions} names={names} accountCurrency={currency} />
        <p>
          {after && <a href={`/admin/conversions?${filterParams(range, campaignId, {}, status)}`}>First page</a>}{" "}
          {page.nextCursor && (
            <a
              rel="next"
              href={`/admin/conversions?${filterParams(range, campaignId, { cursor: page.nextCursor }, status)}`}
            >
              Next page
            </a>
          )}
        </p>
      </Layout>,
    );
  })
  // The same CSV as GET /api/conversions?format=csv, for a browser holding a session instead of a token.
  .get("/csv", async (c) => {
    const result = await readRange(c.var.db, conversionsQuery, c.req.query());
    if (!result.ok) return c.text(result.errors.join("\n"), 400);
    const { campaignId, status } = result.query;
    return conversionsCsv(c, c.var.db, { range: result.range, campaignId, status });
  });
