import { type Context, Hono } from "hono";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { parseId } from "../../lib/params";
import { archiveRoutes } from "../../ui/archive";
import { notFoundPage } from "../../ui/errors";
import { parseForm, readForm } from "../../ui/forms";
import { Layout } from "../../ui/layout";
import { FiguresRange, listFigures } from "../../ui/list-figures";
import { createLander, getLander, listLanders, updateLander } from "./queries";
import { LANDER_LABELS, landerForm } from "./schema";
import { CtaUrls, LanderForm, LanderTable, type LanderValues, landerValues } from "./views";

const origin = (c: Context) => new URL(c.req.url).origin;

async function ListPage(props: {
  db: Db;
  origin: string;
  archived: boolean;
  values?: LanderValues;
  errors?: string[];
  query?: Record<string, string>;
}) {
  const [rows, figures] = await Promise.all([
    listLanders(props.db, { includeArchived: props.archived }),
    listFigures(props.db, "lander", props.query ?? {}),
  ]);
  return (
    <Layout title="Landers" active="/admin/landers">
      <p class="muted">
        A lander is a page between the campaign link and the offer. Its buttons link back to the tracker, which counts
        the click and sends the visitor on to an offer of the visit's path. Use landers in a campaign's flow.
      </p>
      <FiguresRange action="/admin/landers" figures={figures} />
      <LanderTable rows={rows} origin={props.origin} showingArchived={props.archived} figures={figures} />
      <h2>New lander</h2>
      <LanderForm action="/admin/landers" values={props.values} errors={props.errors} submit="Create lander" />
    </Layout>
  );
}

function EditPage(props: { id: number; origin: string; values: LanderValues; errors?: string[] }) {
  const count = Number(props.values.offerCount);
  return (
    <Layout title={`Edit lander ${props.id}`} active="/admin/landers">
      <LanderForm
        action={`/admin/landers/${props.id}`}
        values={props.values}
        errors={props.errors}
        submit="Save lander"
      />
      {Number.isInteger(count) && count > 0 && (
        <>
          <h2>Call-to-action URLs for the page</h2>
          <CtaUrls origin={props.origin} offerCount={count} />
        </>
      )}
      <p>
        <a href="/admin/landers">Back to landers</a>
      </p>
    </Layout>
  );
}

export const landerPages = new Hono<AppEnv>()
  .get("/", (c) =>
    c.html(
      <ListPage db={c.var.db} origin={origin(c)} archived={c.req.query("archived") === "1"} query={c.req.query()} />,
    ),
  )
  .post("/", async (c) => {
    const values = await readForm(c);
    const parsed = parseForm(landerForm, values, LANDER_LABELS);
    if (!parsed.ok)
      return c.html(
        <ListPage db={c.var.db} origin={origin(c)} archived={false} values={values} errors={parsed.errors} />,
        400,
      );
    await createLander(c.var.db, parsed.data);
    return c.redirect("/admin/landers", 303);
  })
  .get("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "Lander");
    const row = await getLander(c.var.db, id);
    if (!row) return notFoundPage(c);
    return c.html(<EditPage id={id} origin={origin(c)} values={landerValues(row)} />);
  })
  .post("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "Lander");
    const values = await readForm(c);
    const parsed = parseForm(landerForm, values, LANDER_LABELS);
    if (!parsed.ok) return c.html(<EditPage id={id} origin={origin(c)} values={values} errors={parsed.errors} />, 400);
    if (!(await updateLander(c.var.db, id, parsed.data))) return notFoundPage(c);
    return c.redirect("/admin/landers", 303);
  })
  .route("/", archiveRoutes({ list: "/admin/landers", noun: "Lander", update: updateLander }));
