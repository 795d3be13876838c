import { Hono } from "hono";
import { archiveRoutes } from "../../admin/archive";
import { notFoundPage } from "../../admin/errors";
import { parseForm, readForm } from "../../admin/forms";
import { Layout } from "../../admin/layout";
import { FiguresRange, listFigures } from "../../admin/list-figures";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { parseId } from "../../lib/params";
import { TemplateNotice, TemplatePicker, templateValues } from "../source-postbacks/template-picker";
import { findTemplate, type TrafficSourceTemplate } from "../source-postbacks/templates";
import { createTrafficSource, getTrafficSource, listTrafficSources, updateTrafficSource } from "./queries";
import { sourceLabels, trafficSourceForm } from "./schema";
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

function EditPage({ id, values, errors }: { id: number; values: SourceValues; errors?: string[] }) {
  return (
    <Layout title={`Edit traffic source ${id}`} active={LIST}>
      <SourceForm action={`${LIST}/${id}`} values={values} errors={errors} submit="Save traffic source" />
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
    await createTrafficSource(c.var.db, parsed.data);
    return c.redirect(LIST, 303);
  })
  .get("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "Traffic source");
    const row = await getTrafficSource(c.var.db, id);
    if (!row) return notFoundPage(c);
    return c.html(<EditPage id={id} values={sourceValues(row)} />);
  })
  .post("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "Traffic source");
    const { values, parsed } = await readSource(c);
    if (!parsed.ok) return c.html(<EditPage id={id} values={values} errors={parsed.errors} />, parsed.status);
    if (!(await updateTrafficSource(c.var.db, id, { input: parsed.data }))) return notFoundPage(c);
    return c.redirect(LIST, 303);
  })
  .route(
    "/",
    archiveRoutes({
      list: LIST,
      noun: "Traffic source",
      update: (db, id, patch) => updateTrafficSource(db, id, patch),
    }),
  );
