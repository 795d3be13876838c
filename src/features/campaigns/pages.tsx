import { type Context, Hono } from "hono";
import { archiveRoutes } from "../../admin/archive";
import { notFoundPage } from "../../admin/errors";
import { type Parsed, parseForm, readForm, submitForm } from "../../admin/forms";
import { Layout } from "../../admin/layout";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { parseId } from "../../lib/params";
import { listOffers } from "../offers/queries";
import { type CampaignInput, createCampaign, getCampaign, listCampaigns, trackingUrl, updateCampaign } from "./queries";
import { CAMPAIGN_LABELS, campaignForm, campaignInput, checkOffers } from "./schema";
import { CampaignForm, CampaignTable, type CampaignValues, campaignValues, formValues } from "./views";

const origin = (c: Context) => new URL(c.req.url).origin;

async function ListPage({
  db,
  origin,
  archived,
  values,
  errors,
}: {
  db: Db;
  origin: string;
  archived: boolean;
  values?: CampaignValues;
  errors?: string[];
}) {
  const [rows, allOffers] = await Promise.all([
    listCampaigns(db, { includeArchived: archived }),
    listOffers(db, { includeArchived: true }),
  ]);
  return (
    <Layout title="Campaigns" active="/admin/campaigns">
      <CampaignTable
        rows={rows}
        offers={allOffers}
        trackingUrl={(id) => trackingUrl(origin, id)}
        showingArchived={archived}
      />
      <h2>New campaign</h2>
      <CampaignForm
        action="/admin/campaigns"
        offers={allOffers.filter((o) => !o.archived)}
        values={values}
        errors={errors}
        submit="Create campaign"
      />
    </Layout>
  );
}

async function EditPage({
  db,
  id,
  origin,
  values,
  errors,
}: {
  db: Db;
  id: number;
  origin: string;
  values: CampaignValues;
  errors?: string[];
}) {
  const offers = await listOffers(db);
  // Archived offers cannot be picked again; say so rather than drop them silently on save.
  const leaving = Object.keys(values.weights)
    .map(Number)
    .filter((offerId) => !offers.some((o) => o.id === offerId));
  return (
    <Layout title={`Edit campaign ${id}`} active="/admin/campaigns">
      <p>
        Tracking URL: <code>{trackingUrl(origin, id)}</code>
      </p>
      {leaving.length > 0 && (
        <p class="notice bad">
          {`Archived offer${leaving.length > 1 ? "s" : ""} ${leaving.join(", ")} will leave the rotation when you save.`}
        </p>
      )}
      <CampaignForm
        action={`/admin/campaigns/${id}`}
        offers={offers}
        values={values}
        errors={errors}
        submit="Save campaign"
      />
      <p>
        <a href="/admin/campaigns">Back to campaigns</a>
      </p>
    </Layout>
  );
}

/** The API's body schema and its offer check, read from the form. */
async function readCampaign(db: Db, form: Record<string, string>): Promise<Parsed<CampaignInput>> {
  const parsed = parseForm(campaignForm, form, CAMPAIGN_LABELS);
  if (!parsed.ok) return parsed;
  return submitForm(CAMPAIGN_LABELS, async () => {
    await checkOffers(db, parsed.data.offers);
    return campaignInput(parsed.data);
  });
}

export const campaignPages = new Hono<AppEnv>()
  .get("/", (c) => c.html(<ListPage db={c.var.db} origin={origin(c)} archived={c.req.query("archived") === "1"} />))
  .post("/", async (c) => {
    const form = await readForm(c);
    const parsed = await readCampaign(c.var.db, form);
    if (!parsed.ok)
      return c.html(
        <ListPage db={c.var.db} origin={origin(c)} archived={false} values={formValues(form)} errors={parsed.errors} />,
        parsed.status,
      );
    await createCampaign(c.var.db, parsed.data);
    return c.redirect("/admin/campaigns", 303);
  })
  .get("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "Campaign");
    const row = await getCampaign(c.var.db, id);
    if (!row) return notFoundPage(c);
    return c.html(<EditPage db={c.var.db} id={id} origin={origin(c)} values={campaignValues(row)} />);
  })
  .post("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "Campaign");
    const form = await readForm(c);
    const parsed = await readCampaign(c.var.db, form);
    if (!parsed.ok)
      return c.html(
        <EditPage db={c.var.db} id={id} origin={origin(c)} values={formValues(form)} errors={parsed.errors} />,
        parsed.status,
      );
    if (!(await updateCampaign(c.var.db, id, parsed.data))) return notFoundPage(c);
    return c.redirect("/admin/campaigns", 303);
  })
  .route("/", archiveRoutes({ list: "/admin/campaigns", noun: "Campaign", update: updateCampaign }));
