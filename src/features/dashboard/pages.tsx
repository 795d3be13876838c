import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { getSettings } from "../../model/settings";
import { BotSwitch } from "../../ui/bot-switch";
import { Layout } from "../../ui/layout";
import { RangeForm, readRange } from "../../ui/range-form";
import { listCampaigns } from "../campaigns/queries";
import { CHART_DAYS, dashboard, dashboardQuery } from "./queries";
import { Charts, DailyFigures, FirstRun, Kpis, TopCampaigns } from "./views";

/**
 * /admin: today against yesterday, a range (the last 30 days unless a preset or the form chose
 * another) as a chart, the most profitable campaigns of that range.
 */
export const dashboardPages = new Hono<AppEnv>().get("/", async (c) => {
  const hideBots = c.req.query("hideBots") === "1";
  const own = Object.entries(c.req.query()).filter(([k]) => ["from", "to", "tz"].includes(k));
  const asked = await readRange(c.var.db, dashboardQuery, Object.fromEntries(own));
  const query = asked.ok ? asked.query : {};
  const chosen = query.from !== undefined || query.to !== undefined;
  const [d, { currency }, campaigns] = await Promise.all([
    dashboard(c.var.db, Date.now(), { hideBots, query }),
    getSettings(c.var.db),
    listCampaigns(c.var.db, { includeArchived: true }),
  ]);
  const { from, to, tz } = d.range;
  const keep: [string, string][] = hideBots ? [["hideBots", "1"]] : [];
  const days = chosen ? `${from} to ${to}` : `the last ${CHART_DAYS} days`;
  const report = (params: Record<string, string>) =>
    `/admin/report?${new URLSearchParams({ from, to, tz, ...(hideBots ? { bot: "false" } : {}), ...params })}`;
  return c.html(
    <Layout
      title="Dashboard"
      active="/admin"
      head={
        <>
          <link rel="stylesheet" href="/admin/assets/uplot.css" />
          <script src="/admin/assets/uplot.js" defer></script>
          <script src="/admin/assets/dashboard.js" defer></script>
        </>
      }
    >
      <p class="muted">
        Today is {d.today.key} in {tz} (the time zone in Settings); changes compare today so far with the whole of
        yesterday.
      </p>
      <RangeForm action="/admin" from={from} to={to} tz={tz} errors={asked.ok ? [] : asked.errors} keep={keep}>
        {keep.map(([k, v]) => (
          <input type="hidden" name={k} value={v} />
        ))}
      </RangeForm>
      <BotSwitch
        action="/admin"
        hidden={hideBots}
        bots={d.bots}
        keep={
          chosen
            ? [
                ["from", from],
                ["to", to],
                ["tz", tz],
              ]
            : []
        }
      />
      {campaigns.length === 0 && <FirstRun />}
      <Kpis today={d.today} yesterday={d.yesterday} currency={currency} />
      <h2 id="range-shown">{chosen ? `${from} to ${to}` : `The last ${CHART_DAYS} days (${from} to ${to})`}</h2>
      <Charts />
      <DailyFigures days={d.days} currency={currency} />
      <h2>Top campaigns by profit, {days}</h2>
      <TopCampaigns
        rows={d.top}
        link={(key) => report({ groupBy: "day", campaignId: String(key) })}
        currency={currency}
      />
      <p>
        <a href={report({ groupBy: "campaign", orderBy: "profit", order: "desc" })}>All campaigns in the report</a>
      </p>
    </Layout>,
    asked.ok ? 200 : 400,
  );
});
