import { Hono } from "hono";
import { archiveRoutes } from "../../admin/archive";
import { notFoundPage } from "../../admin/errors";
import { parseForm, readForm } from "../../admin/forms";
import { Layout } from "../../admin/layout";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { parseId } from "../../lib/params";
import {
  createConversionType,
  getConversionType,
  getConversionTypeByName,
  listConversionTypes,
  updateConversionType,
} from "./queries";
import { TYPE_LABELS, TypeForm, TypeTable, type TypeValues, typeForm, typeValues } from "./views";

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

const taken = (name: string) => [`Name: a conversion type named "${name}" already exists`];

export const conversionTypePages = new Hono<AppEnv>()
  .get("/", (c) => c.html(<ListPage db={c.var.db} archived={c.req.query("archived") === "1"} />))
  .post("/", async (c) => {
    const values = await readForm(c);
    const parsed = parseForm(typeForm, values, TYPE_LABELS);
    if (!parsed.ok)
      return c.html(<ListPage db={c.var.db} archived={false} values={values} errors={parsed.errors} />, 400);
    if (!(await createConversionType(c.var.db, parsed.data))) {
      return c.html(<ListPage db={c.var.db} archived={false} values={values} errors={taken(parsed.data.name)} />, 409);
    }
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
    const parsed = parseForm(typeForm, values, TYPE_LABELS);
    if (!parsed.ok) return c.html(<EditPage id={id} values={values} errors={parsed.errors} />, 400);
    const other = await getConversionTypeByName(c.var.db, parsed.data.name);
    if (other && other.id !== id)
      return c.html(<EditPage id={id} values={values} errors={taken(parsed.data.name)} />, 409);
    if (!(await updateConversionType(c.var.db, id, parsed.data))) return notFoundPage(c);
    return c.redirect("/admin/conversion-types", 303);
  })
  .route(
    "/",
    archiveRoutes({ list: "/admin/conversion-types", noun: "Conversion type", update: updateConversionType }),
  );
