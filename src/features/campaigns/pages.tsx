import { type Context, Hono } from "hono";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { parseId } from "../../lib/params";
import { formCostModel } from "../../model/cost-model";
import { archiveRoutes } from "../../ui/archive";
import { notFoundPage } from "../../ui/errors";
import { type Parsed, parseForm, readForm, submitForm } from "../../ui/forms";
import { Layout } from "../../ui/layout";
import { FiguresRange, listFigures } from "../../ui/list-figures";
import { listOffers } from "../offers/queries";
import { LearnedWeightsPanel } from "../optimizer/views";
import { listTrafficSources } from "../traffic-sources/queries";
import { FlowNotice } from "./flow-views";
import {
  type Campaign,
  type CampaignInput,
  createCampaign,
  getCampaign,
  listCampaigns,
  trackingUrl,
  updateCampaign,
} from "./queries";
import {
  CAMPAIGN_LABELS,
  campaignForm,
  campaignInput,
  campaignPatch,
  checkOffers,
  checkSource,
  formOffers,
} from "./schema";
import { CampaignForm, CampaignTable, type CampaignValues, campaignValues, formValues } from "./views";

const origin = (c: Context) => new URL(c.req.url).origin;

async function ListPage({
  db,
  origin,
  archived,
  values,
  errors,
  query = {},
}: {
  db: Db;
  origin: string;
  archived: boolean;
  values?: CampaignValues;
  errors?: string[];
  query?: Record<string, string>;
}) {
  const [rows, allOffers, sources, figures] = await Promise.all([
    listCampaigns(db, { includeArchived: archived }),
    listOffers(db, { includeArchived: true }),
    listTrafficSources(db),
    listFigures(db, "campaign", query),
  ]);
  return (
    <Layout title="Campaigns" active="/admin/campaigns">
      <FiguresRange action="/admin/campaigns" figures={figures} />
      <CampaignTable
        figures={figures}
        rows={rows}
        offers={allOffers}
        trackingUrl={(campaign) => trackingUrl(origin, campaign)}
        showingArchived={archived}
      />
      <h2>New campaign</h2>
      <CampaignForm
        action="/admin/campaigns"
        offers={allOffers.filter((o) => !o.archived)}
        sources={sources}
        values={values}
        errors={errors}
        submit="Create campaign"
      />
    </Layout>
  );
}

async function EditPage({
  db,
  campaign,
  origin,
  values,
  errors,
  hasFlow,
}: {
  db: Db;
  campaign: Campaign;
  origin: string;
  values: CampaignValues;
  errors?: string[];
  hasFlow: boolean;
}) {
  const id = campaign.id;
  const [offers, live] = await Promise.all([listOffers(db), listTrafficSources(db)]);
  // A source archived since stays selectable for the campaign that already has it.
  const own = campaign.trafficSource;
  const sources = own?.archived ? [...live, own] : live;
  // Archived offers cannot be picked again; say so rather than drop them silently on save.
  const leaving = Object.keys(values.weights)
    .map(Number)
    .filter((offerId) => !offers.some((o) => o.id === offerId));
  return (
    <Layout title={`Edit campaign ${id}`} active="/admin/campaigns">
      <p>
        Tracking URL: <code>{trackingUrl(origin, campaign)}</code>
      </p>
      <FlowNotice id={id} hasFlow={hasFlow} />
      {leaving.length > 0 && (
        <p class="notice bad">
          {`Archived offer${leaving.length > 1 ? "s" : ""} ${leaving.join(", ")} will leave the rotation when you save.`}
        </p>
      )}
      <CampaignForm
        action={`/admin/campaigns/${id}`}
        offers={offers}
        sources={sources}
        values={values}
        errors={errors}
        submit="Save campaign"
      />
      <LearnedWeightsPanel db={db} campaignId={id} />
      <p>
        <a href="/admin/campaigns">Back to campaigns</a>
      </p>
    </Layout>
  );
}

/** The API's body schema and its offer and source checks, read from the form. */
async function readCampaign(
  db: Db,
  form: Record<string, string>,
  current: number | null = null,
): Promise<Parsed<CampaignInput>> {
  const parsed = parseForm(campaignForm, form, CAMPAIGN_LABELS);
  if (!parsed.ok) return parsed;
  return submitForm(CAMPAIGN_LABELS, async () => {
    await checkOffers(db, parsed.data.offers ?? []);
    await checkSource(db, parsed.data.trafficSourceId, current);
    return campaignInput(parsed.data);
  });
}

/**
 * A campaign with a flow keeps it when no offer is given a weight (the API's PATCH of name and
 * cost); weights replace the flow with that rotation.
 */
async function readEdit(
  db: Db,
  form: Record<string, string>,
  hasFlow: boolean,
  currentSource: number | null,
): Promise<Parsed<Partial<CampaignInput>>> {
  if (!hasFlow || formOffers(form).length > 0) return readCampaign(db, form, currentSource);
  const body = { name: form.name, costModel: formCostModel(form) };
  const parsed = parseForm(campaignPatch, body, CAMPAIGN_LABELS);
  if (!parsed.ok) return parsed;
  return { ok: true, data: { name: parsed.data.name, costModel: parsed.data.costModel ?? null } };
}

export const campaignPages = new Hono<AppEnv>()
  .get("/", (c) =>
    c.html(
      <ListPage db={c.var.db} origin={origin(c)} archived={c.req.query("archived") === "1"} query={c.req.query()} />,
    ),
  )
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
    const row = await getCampaign(c.var.db, parseId(c.req.param("id"), "Campaign"));
    if (!row) return notFoundPage(c);
    return c.html(
      <EditPage
        db={c.var.db}
        campaign={row}
        origin={origin(c)}
        values={campaignValues(row)}
        hasFlow={row.flow !== null}
      />,
    );
  })
  .post("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "Campaign");
    const row = await getCampaign(c.var.db, id);
    if (!row) return notFoundPage(c);
    const form = await readForm(c);
    const hasFlow = row.flow !== null;
    const parsed = await readEdit(c.var.db, form, hasFlow, row.trafficSourceId);
    if (!parsed.ok)
      return c.html(
        <EditPage
          db={c.var.db}
          campaign={row}
          origin={origin(c)}
          values={formValues(form)}
          errors={parsed.errors}
          hasFlow={hasFlow}
        />,
        parsed.status,
      );
    if (!(await updateCampaign(c.var.db, id, parsed.data))) return notFoundPage(c);
    return c.redirect("/admin/campaigns", 303);
  })
  .route("/", archiveRoutes({ list: "/admin/campaigns", noun: "Campaign", update: updateCampaign }));
