import { Hono } from "hono";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { parseId } from "../../lib/params";
import { getSettings } from "../../model/settings";
import { varAliases } from "../../reports/aliases";
import { notFoundPage } from "../../ui/errors";
import { parseForm, readForm, submitForm } from "../../ui/forms";
import { Layout } from "../../ui/layout";
import { listCampaigns } from "../campaigns/queries";
import { createCostUpdate, deleteCostUpdate, listCostUpdates } from "./queries";
import { COST_UPDATE_FILTERS, COST_UPDATE_LABELS, costUpdateForm, FORM_FILTER_ROWS } from "./schema";
import { CostUpdateForm, CostUpdateTable, type CostUpdateValues } from "./views";

async function ListPage({ db, values, errors }: { db: Db; values: CostUpdateValues; errors?: string[] }) {
  const [rows, campaigns] = await Promise.all([listCostUpdates(db), listCampaigns(db, { includeArchived: true })]);
  // filters name var slots as the campaign's traffic source does, like the report
  const ids = [...new Set(rows.map((r) => r.campaignId))];
  const aliases = new Map(
    await Promise.all(ids.map(async (id) => [id, await varAliases(db, { campaignId: id })] as const)),
  );
  const chosen = Number(values.campaignId);
  const formAliases = Number.isInteger(chosen) && chosen > 0 ? await varAliases(db, { campaignId: chosen }) : {};
  return (
    <Layout title="Cost updates" active="/admin/cost-updates">
      <p>
        A cost update sets the total cost of a campaign's visits over whole days, optionally only those matching
        filters. Reports apply it at once, split over its visits in proportion; deleting it restores the recorded cost.
        Where two updates overlap, the later one wins.
      </p>
      <CostUpdateTable rows={rows} campaignNames={new Map(campaigns.map((c) => [c.id, c.name]))} aliases={aliases} />
      <h2>New cost update</h2>
      <CostUpdateForm campaigns={campaigns} values={values} errors={errors} aliases={formAliases} />
    </Layout>
  );
}

/**
 * A link from the report ("update the cost of this view") carries campaignId, from, to, tz and
 * its filters: they fill the form.
 */
async function prefill(db: Db, query: Record<string, string>): Promise<CostUpdateValues> {
  const values: CostUpdateValues = {
    campaignId: query.campaignId,
    from: query.from,
    to: query.to,
    tz: query.tz ?? (await getSettings(db)).timezone,
  };
  const filters = COST_UPDATE_FILTERS.filter((f) => query[f] !== undefined).slice(0, FORM_FILTER_ROWS);
  filters.forEach((f, i) => {
    values[`filter${i + 1}`] = f;
    values[`value${i + 1}`] = query[f];
  });
  return values;
}

export const costUpdatePages = new Hono<AppEnv>()
  .get("/", async (c) => c.html(<ListPage db={c.var.db} values={await prefill(c.var.db, c.req.query())} />))
  .post("/", async (c) => {
    const values = await readForm(c);
    const parsed = parseForm(costUpdateForm, values, COST_UPDATE_LABELS);
    const saved = parsed.ok
      ? await submitForm(COST_UPDATE_LABELS, () => createCostUpdate(c.var.db, parsed.data))
      : parsed;
    if (!saved.ok) return c.html(<ListPage db={c.var.db} values={values} errors={saved.errors} />, saved.status);
    return c.redirect("/admin/cost-updates", 303);
  })
  .post("/:id/delete", async (c) => {
    const row = await deleteCostUpdate(c.var.db, parseId(c.req.param("id"), "Cost update"));
    if (!row) return notFoundPage(c);
    return c.redirect("/admin/cost-updates", 303);
  });
