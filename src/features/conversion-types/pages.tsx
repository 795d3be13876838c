import { Hono } from "hono";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { parseId } from "../../lib/params";
import { archiveRoutes } from "../../ui/archive";
import { notFoundPage } from "../../ui/errors";
import { parseForm, readForm, submitForm } from "../../ui/forms";
import { Layout } from "../../ui/layout";
import { createConversionType, getConversionType, listConversionTypes, updateConversionType } from "./queries";
import { conversionTypeForm, TYPE_LABELS } from "./schema";
import { TypeForm, TypeTable, type TypeValues, typeValues } from "./views";

async function ListPage({
  db,
  archived,
  values,
  errors,
}: {
  db: Db;
  archived: boolean;
  values?: TypeValues;
  errors?: string[];
}) {
  const rows = await listConversionTypes(db, { includeArchived: archived });
  return (
    <Layout title="Conversion types" active="/admin/conversion-types">
      <TypeTable rows={rows} showingArchived={archived} />
      <h2>New conversion type</h2>
      <TypeForm action="/admin/conversion-types" values={values} errors={errors} submit="Create conversion type" />
    </Layout>
  );
}

function EditPage({ id, values, errors }: { id: number; values: TypeValues; errors?: string[] }) {
  return (
    <Layout title={`Edit conversion type ${id}`} active="/admin/conversion-types">
      <TypeForm
        action={`/admin/conversion-types/${id}`}
        values={values}
        errors={errors}
        submit="Save conversion type"
      />
      <p>
        <a href="/admin/conversion-types">Back to conversion types</a>
      </p>
    </Layout>
  );
}

export const conversionTypePages = new Hono<AppEnv>()
  .get("/", (c) => c.html(<ListPage db={c.var.db} archived={c.req.query("archived") === "1"} />))
  .post("/", async (c) => {
    const values = await readForm(c);
    const parsed = parseForm(conversionTypeForm, values, TYPE_LABELS);
    // The API's own save: a taken name is its 409, shown next to the name.
    const saved = parsed.ok ? await submitForm(TYPE_LABELS, () => createConversionType(c.var.db, parsed.data)) : parsed;
    if (!saved.ok)
      return c.html(<ListPage db={c.var.db} archived={false} values={values} errors={saved.errors} />, saved.status);
    return c.redirect("/admin/conversion-types", 303);
  })
  .get("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "Conversion type");
    const row = await getConversionType(c.var.db, id);
    if (!row) return notFoundPage(c);
    return c.html(<EditPage id={id} values={typeValues(row)} />);
  })
  .post("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "Conversion type");
    const values = await readForm(c);
    const parsed = parseForm(conversionTypeForm, values, TYPE_LABELS);
    const saved = parsed.ok
      ? await submitForm(TYPE_LABELS, () => updateConversionType(c.var.db, id, parsed.data))
      : parsed;
    if (!saved.ok) return c.html(<EditPage id={id} values={values} errors={saved.errors} />, saved.status);
    if (!saved.data) return notFoundPage(c);
    return c.redirect("/admin/conversion-types", 303);
  })
  .route(
    "/",
    archiveRoutes({ list: "/admin/conversion-types", noun: "Conversion type", update: updateConversionType }),
  );
