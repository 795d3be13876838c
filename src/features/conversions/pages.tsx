import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { getSettings } from "../../model/settings";
import { labelsFor } from "../../reports/labels";
import type { DateRange } from "../../reports/range";
import { amount, DataTable } from "../../ui/components";
import { Layout } from "../../ui/layout";
import { CampaignSelect, RangeForm, readRange } from "../../ui/range-form";
import { listCampaigns } from "../campaigns/queries";
import { decodeCursor } from "./cursor";
import { conversionsCsv } from "./export";
import { type ConversionJson, listConversions } from "./queries";
import { conversionsQuery } from "./schema";

const PAGE_SIZE = 100;
/** "2026-05-01T10:00:00.000+02:00" -> "2026-05-01 10:00:00": the page states its zone once. */
const local = (iso: unknown) => String(iso).slice(0, 19).replace("T", " ");

function filterParams(range: DateRange, campaignId?: number, extra: Record<string, string> = {}) {
  const p = new URLSearchParams({ from: range.from, to: range.to, tz: range.tz, ...extra });
  if (campaignId !== undefined) p.set("campaignId", String(campaignId));
  return p.toString();
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
          <td class="mono">{r.clickId}</td>
          <td>{names.campaigns.get(r.campaignId) ?? r.campaignId}</td>
          <td>{names.offers.get(r.offerId) ?? r.offerId}</td>
          <td>{r.type ?? <span class="muted">default</span>}</td>
          <td class="mono">{r.txid ?? ""}</td>
          <td>
            {r.status}
            {r.statusChangedAt && <div class="muted">since {local(r.statusChangedAt)}</div>}
          </td>
          <td class="num">
            {amount(r.payout as number)}
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
          </RangeForm>
        </Layout>,
        400,
      );
    }
    const { range, query } = result;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const page = await listConversions(db, { range, campaignId: query.campaignId, after, limit: PAGE_SIZE });
    const { currency } = await getSettings(db);
    const names = {
      campaigns: await labelsFor(db, "campaign", [...new Set(page.conversions.map((r) => r.campaignId as number))]),
      offers: await labelsFor(db, "offer", [...new Set(page.conversions.map((r) => r.offerId as number))]),
    };
    return c.html(
      <Layout title="Conversions" active="/admin/conversions">
        <RangeForm action="/admin/conversions" from={range.from} to={range.to} tz={range.tz}>
          {campaignSelect(query.campaignId === undefined ? undefined : String(query.campaignId))}
        </RangeForm>
        <p>
          <span class="muted">
            {range.from} to {range.to}, times in {range.tz}, payouts in {currency}, newest first.{" "}
          </span>
          <a class="button secondary" href={`/admin/conversions/csv?${filterParams(range, query.campaignId)}`} download>
            Download CSV
          </a>
        </p>
        <ConversionTable rows={page.conversions} names={names} accountCurrency={currency} />
        <p>
          {after && <a href={`/admin/conversions?${filterParams(range, query.campaignId)}`}>First page</a>}{" "}
          {page.nextCursor && (
            <a
              rel="next"
              href={`/admin/conversions?${filterParams(range, query.campaignId, { cursor: page.nextCursor })}`}
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
    return conversionsCsv(c, c.var.db, { range: result.range, campaignId: result.query.campaignId });
  });
