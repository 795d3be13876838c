import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { getSettings } from "../../model/settings";
import { BotSwitch } from "../../ui/bot-switch";
import { Layout } from "../../ui/layout";
import { listCampaigns } from "../campaigns/queries";
import { CHART_DAYS, dashboard } from "./queries";
import { Charts, DailyFigures, FirstRun, Kpis, TopCampaigns } from "./views";

/** /admin: today against yesterday, the last 30 days as a chart, the most profitable campaigns. */
export const dashboardPages = new Hono<AppEnv>().get("/", async (c) => {
  const hideBots = c.req.query("hideBots") === "1";
  const [d, { currency }, campaigns] = await Promise.all([
    dashboard(c.var.db, Date.now(), { hideBots }),
    getSettings(c.var.db),
    listCampaigns(c.var.db, { includeArchived: true }),
  ]);
  const { from, to, tz } = d.range;
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
      <BotSwitch action="/admin" hidden={hideBots} bots={d.bots} />
      {campaigns.length === 0 && <FirstRun />}
      <Kpis today={d.today} yesterday={d.yesterday} currency={currency} />
      <h2>
        The last {CHART_DAYS} days ({from} to {to})
      </h2>
      <Charts />
      <DailyFigures days={d.days} currency={currency} />
      <h2>Top campaigns by profit, last {CHART_DAYS} days</h2>
      <TopCampaigns
        rows={d.top}
        link={(key) => report({ groupBy: "day", campaignId: String(key) })}
        currency={currency}
      />
      <p>
        <a href={report({ groupBy: "campaign", orderBy: "profit", order: "desc" })}>All campaigns in the report</a>
      </p>
    </Layout>,
  );
});
