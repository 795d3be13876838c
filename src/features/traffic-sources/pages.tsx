import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { TrafficSourceRow } from "../../db/schema";
import { sealConversionApi } from "../../delivery/platforms/store";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { parseId } from "../../lib/params";
import { storedSettings } from "../../model/conversion-api";
import { archiveRoutes } from "../../ui/archive";
import { notFoundPage } from "../../ui/errors";
import { parseForm, readForm, submitForm } from "../../ui/forms";
import { Layout, type Notice, NoticeBox } from "../../ui/layout";
import { FiguresRange, listFigures } from "../../ui/list-figures";
import { TestEventForm } from "../conversion-apis/form";
import { sendTestEvent } from "../conversion-apis/test-event";
import { createTrafficSource, getTrafficSource, listTrafficSources, updateTrafficSource } from "./queries";
import { sourceLabels, trafficSourceForm } from "./schema";
import { TemplateNotice, TemplatePicker, templateValues } from "./template-picker";
import { findTemplate, type TrafficSourceTemplate } from "./templates";
import { SourceForm, SourceTable, type SourceValues, sourceValues } from "./views";

const LIST = "/admin/traffic-sources";

async function ListPage({
  db,
  archived,
  values,
  errors,
  template,
  query = {},
}: {
  db: Db;
  archived: boolean;
  values?: SourceValues;
  errors?: string[];
  template?: TrafficSourceTemplate;
  query?: Record<string, string>;
}) {
  const [rows, figures] = await Promise.all([
    listTrafficSources(db, { includeArchived: archived }),
    listFigures(db, "trafficSource", query),
  ]);
  return (
    <Layout title="Traffic sources" active={LIST}>
      <FiguresRange action={LIST} figures={figures} />
      <SourceTable rows={rows} showingArchived={archived} figures={figures} />
      <h2>New traffic source</h2>
      <TemplatePicker current={template?.id} />
      {template && <TemplateNotice template={template} />}
      <SourceForm
        action={LIST}
        values={values ?? (template && templateValues(template))}
        errors={errors}
        submit="Create traffic source"
      />
    </Layout>
  );
}

function EditPage({
  id,
  values,
  stored,
  errors,
  notice,
}: {
  id: number;
  values: SourceValues;
  stored: TrafficSourceRow;
  errors?: string[];
  notice?: Notice;
}) {
  return (
    <Layout title={`Edit traffic source ${id}`} active={LIST}>
      <NoticeBox notice={notice} />
      <SourceForm
        action={`${LIST}/${id}`}
        values={values}
        stored={storedSettings(stored.conversionApi)}
        errors={errors}
        submit="Save traffic source"
      />
      <TestEventForm action={`${LIST}/${id}/test-event`} api={storedSettings(stored.conversionApi)} />
      <p>
        <a href={LIST}>Back to traffic sources</a>
      </p>
    </Layout>
  );
}

/** The posted form through the API's own rule. */
async function readSource(c: Parameters<typeof readForm>[0]) {
  const values = await readForm(c);
  return { values, parsed: parseForm(trafficSourceForm, values, sourceLabels(values)) };
}

export const trafficSourcePages = new Hono<AppEnv>()
  .get("/", (c) =>
    c.html(
      <ListPage
        db={c.var.db}
        archived={c.req.query("archived") === "1"}
        template={findTemplate(c.req.query("template"))}
        query={c.req.query()}
      />,
    ),
  )
  .post("/", async (c) => {
    const { values, parsed } = await readSource(c);
    if (!parsed.ok)
      return c.html(<ListPage db={c.var.db} archived={false} values={values} errors={parsed.errors} />, parsed.status);
    const saved = await submitForm(sourceLabels(values), async () =>
      createTrafficSource(
        c.var.db,
        parsed.data,
        await sealConversionApi(c.var.config, parsed.data.conversionApi, null),
      ),
    );
    if (!saved.ok)
      return c.html(<ListPage db={c.var.db} archived={false} values={values} errors={saved.errors} />, saved.status);
    return c.redirect(LIST, 303);
  })
  .get("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "Traffic source");
    const row = await getTrafficSource(c.var.db, id);
    if (!row) return notFoundPage(c);
    return c.html(<EditPage id={id} values={sourceValues(row)} stored={row} />);
  })
  .post("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "Traffic source");
    const { values, parsed } = await readSource(c);
    const current = await getTrafficSource(c.var.db, id);
    if (!current) return notFoundPage(c);
    const rerender = (errors: string[], status: ContentfulStatusCode) =>
      c.html(<EditPage id={id} values={values} stored={current} errors={errors} />, status);
    if (!parsed.ok) return rerender(parsed.errors, parsed.status);
    // Secret fields left blank keep the stored secrets, as a PATCH that omits them does.
    const saved = await submitForm(sourceLabels(values), async () =>
      updateTrafficSource(c.var.db, id, {
        input: parsed.data,
        api: await sealConversionApi(c.var.config, parsed.data.conversionApi, current),
      }),
    );
    if (!saved.ok) return rerender(saved.errors, saved.status);
    return c.redirect(LIST, 303);
  })
  .post("/:id/test-event", async (c) => {
    const id = parseId(c.req.param("id"), "Traffic source");
    const row = await getTrafficSource(c.var.db, id);
    if (!row) return notFoundPage(c);
    const from = { ip: c.req.header("cf-connecting-ip") ?? null, userAgent: c.req.header("user-agent") ?? null };
    const { status, text } = await sendTestEvent(c.env, c.var.db, row, from);
    const notice = { kind: status === 200 ? "good" : "bad", text } as const;
    return c.html(<EditPage id={id} values={sourceValues(row)} stored={row} notice={notice} />, status);
  })
  .route(
    "/",
    archiveRoutes({
      list: LIST,
      noun: "Traffic source",
      update: (db, id, patch) => updateTrafficSource(db, id, patch),
    }),
  );
