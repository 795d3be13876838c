import { Hono } from "hono";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { getSettings, mergedSettings, updateSettings } from "../../model/settings";
import { parseForm, readForm } from "../../ui/forms";
import { Layout, type Notice, NoticeBox } from "../../ui/layout";
import { listCampaigns, trackingUrl } from "../campaigns/queries";
import { listLanders } from "../landers/queries";
import { LanderCtaList } from "../landers/views";
import { mergedSettingsProblem, SETTINGS_LABELS, settingsForm } from "./schema";
import { PostbackUrl, SettingsForm, type SettingsValues, settingsValues, TrackingUrls } from "./views";

async function SettingsPage(props: {
  db: Db;
  origin: string;
  values?: SettingsValues;
  errors?: string[];
  notice?: Notice;
}) {
  const [settings, campaigns, landers] = await Promise.all([
    getSettings(props.db),
    listCampaigns(props.db),
    listLanders(props.db),
  ]);
  return (
    <Layout title="Settings" active="/admin/settings">
      <NoticeBox notice={props.notice} />
      <h2>Postback URL</h2>
      <PostbackUrl origin={props.origin} secret={settings.postbackSecret} />
      <h2>Tracking URLs</h2>
      <TrackingUrls campaigns={campaigns} trackingUrl={(campaign) => trackingUrl(props.origin, campaign)} />
      <h2>Lander call-to-action URLs</h2>
      <p>
        Link a lander's buttons here: <code>/click</code> goes to an offer of the visit's path by weight,{" "}
        <code>/click/N</code> to its N-th offer. The click ID comes from the cookie, or add <code>?cid=</code> with the
        lander URL's <code>{"{clickid}"}</code>.
      </p>
      <LanderCtaList landers={landers} origin={props.origin} />
      <h2>Postback protection, time zone, statuses and currency</h2>
      <SettingsForm values={props.values ?? settingsValues(settings)} errors={props.errors} />
    </Layout>
  );
}

export const settingsPages = new Hono<AppEnv>()
  .get("/", (c) => {
    const notice: Notice | undefined =
      c.req.query("saved") === "1" ? { kind: "good", text: "Settings saved." } : undefined;
    return c.html(<SettingsPage db={c.var.db} origin={new URL(c.req.url).origin} notice={notice} />);
  })
  .post("/", async (c) => {
    const values = await readForm(c);
    const parsed = parseForm(settingsForm, values, SETTINGS_LABELS);
    if (!parsed.ok)
      return c.html(
        <SettingsPage db={c.var.db} origin={new URL(c.req.url).origin} values={values} errors={parsed.errors} />,
        parsed.status,
      );
    const problem = mergedSettingsProblem(await mergedSettings(c.var.db, parsed.data));
    if (problem)
      return c.html(
        <SettingsPage
          db={c.var.db}
          origin={new URL(c.req.url).origin}
          values={values}
          errors={[`${SETTINGS_LABELS.currencyRates}: ${problem.message}`]}
        />,
        400,
      );
    await updateSettings(c.var.db, parsed.data);
    return c.redirect("/admin/settings?saved=1", 303);
  });
