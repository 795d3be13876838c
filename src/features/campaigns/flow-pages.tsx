import { type Context, Hono } from "hono";
import { flowSchema } from "../../click/flow-schema";
import { checkFlow, flowJson, parseStoredFlow } from "../../click/flow-store";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { ApiError, type ErrorBody, issuePath } from "../../lib/errors";
import { parseId } from "../../lib/params";
import { varAliases } from "../../reports/aliases";
import { notFoundPage } from "../../ui/errors";
import { readForm } from "../../ui/forms";
import { CopyField, Errors, Layout, NoticeBox } from "../../ui/layout";
import { listLanders } from "../landers/queries";
import { CtaUrls } from "../landers/views";
import { listOffers } from "../offers/queries";
import { applyOp, type Draft, draftFromFlow, draftFromForm, flowBodyFromDraft } from "./flow-form";
import { FlowEditor } from "./flow-rule-views";
import { FlowTemplates } from "./flow-templates";
import type { FieldErrors } from "./flow-views";
import { type Campaign, getCampaign, trackingUrl, updateCampaign } from "./queries";

type Issues = NonNullable<ErrorBody["issues"]>;

async function FlowPage(props: { db: Db; c: Context<AppEnv>; campaign: Campaign; draft: Draft; issues?: Issues }) {
  const { campaign, draft, issues = [] } = props;
  const [landers, offers, aliases] = await Promise.all([
    listLanders(props.db, { includeArchived: true }),
    listOffers(props.db, { includeArchived: true }),
    varAliases(props.db, { campaignId: campaign.id }),
  ]);
  const paths = [...draft.rules.flatMap((r) => r.paths), ...draft.defaultPaths];
  const namedLanders = new Set(paths.flatMap((p) => p.landers.map((l) => l.landerId)));
  const namedOffers = new Set(paths.flatMap((p) => p.offers.map((o) => o.offerId)));
  const origin = new URL(props.c.req.url).origin;
  const errors: FieldErrors = new Map();
  for (const i of issues) errors.set(i.path, [...(errors.get(i.path) ?? []), i.message]);
  // New rows offer what the saved ones may (archived items only where already chosen).
  const selectable = {
    landers: landers.filter((l) => !l.archived || namedLanders.has(String(l.id))),
    offers: offers.filter((o) => !o.archived || namedOffers.has(String(o.id))),
  };
  const used = landers.filter((l) => namedLanders.has(String(l.id)));
  return (
    <Layout
      title={`Flow of campaign ${campaign.id}: ${campaign.name}`}
      active="/admin/campaigns"
      head={<script src="/admin/assets/flow.js" defer></script>}
    >
      <p>
        Tracking URL: <CopyField value={trackingUrl(origin, campaign)} label="Tracking URL" />
      </p>
      {props.c.req.query("saved") === "1" && issues.length === 0 && (
        <NoticeBox notice={{ kind: "good", text: "Flow saved: new clicks follow it within a few seconds." }} />
      )}
      {!campaign.flow && <p class="notice">This campaign rotates its offers. Saving a flow replaces that rotation.</p>}
      <Errors errors={issues.map((i) => `${i.path}: ${i.message}`)} />
      <FlowEditor
        action={`/admin/campaigns/${campaign.id}/flow`}
        draft={draft}
        landers={selectable.landers}
        offers={selectable.offers}
        errors={errors}
        aliases={aliases}
      />
      <FlowTemplates landers={selectable.landers} offers={selectable.offers} aliases={aliases} />
      {used.length > 0 && <h2>Call-to-action URLs for the landers</h2>}
      {used.map((l) => (
        <>
          <h3>{`${l.name} (#${l.id})`}</h3>
          <CtaUrls origin={origin} offerCount={l.offerCount} />
        </>
      ))}
      <p>
        <a href={`/admin/campaigns/${campaign.id}`}>Back to the campaign</a>
      </p>
    </Layout>
  );
}

/** Validates a submitted draft exactly as PATCH /api/campaigns/:id validates `flow`. */
async function saveDraft(db: Db, campaign: Campaign, draft: Draft): Promise<Issues> {
  const parsed = flowSchema.safeParse(flowBodyFromDraft(draft));
  if (!parsed.success)
    return parsed.error.issues.map((i) => ({ path: issuePath(["flow", ...i.path]), message: i.message }));
  try {
    const flow = await checkFlow(db, parsed.data, campaign.id, parseStoredFlow(campaign.flow));
    await updateCampaign(db, campaign.id, { flow });
    return [];
  } catch (err) {
    if (err instanceof ApiError && err.issues) return err.issues;
    throw err;
  }
}

/** /admin/campaigns/:id/flow: the flow editor; add and remove buttons re-render (or, with its script, edit in the page), Save stores. */
export const campaignFlowPages = new Hono<AppEnv>()
  .get("/:id/flow", async (c) => {
    const campaign = await getCampaign(c.var.db, parseId(c.req.param("id"), "Campaign"));
    if (!campaign) return notFoundPage(c);
    const draft = draftFromFlow(flowJson(campaign.id, parseStoredFlow(campaign.flow)));
    return c.html(<FlowPage db={c.var.db} c={c} campaign={campaign} draft={draft} />);
  })
  .post("/:id/flow", async (c) => {
    const campaign = await getCampaign(c.var.db, parseId(c.req.param("id"), "Campaign"));
    if (!campaign) return notFoundPage(c);
    const form = await readForm(c);
    const draft = draftFromForm(form);
    const op = form.op ?? "save";
    if (op !== "save")
      return c.html(<FlowPage db={c.var.db} c={c} campaign={campaign} draft={applyOp(draft, op, form)} />);
    const issues = await saveDraft(c.var.db, campaign, draft);
    if (issues.length > 0)
      return c.html(<FlowPage db={c.var.db} c={c} campaign={campaign} draft={draft} issues={issues} />, 400);
    return c.redirect(`/admin/campaigns/${campaign.id}/flow?saved=1`, 303);
  });
