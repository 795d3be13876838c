import { Hono } from "hono";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { parseId } from "../../lib/params";
import { archiveRoutes } from "../../ui/archive";
import { notFoundPage } from "../../ui/errors";
import { parseForm, readForm } from "../../ui/forms";
import { Layout } from "../../ui/layout";
import { FiguresRange, listFigures } from "../../ui/list-figures";
import { createOffer, getOffer, listOffers, updateOffer } from "./queries";
import { OFFER_LABELS, offerForm } from "./schema";
import { OfferForm, OfferTable, type OfferValues, offerValues } from "./views";

async function ListPage({
  db,
  archived,
  values,
  errors,
  query = {},
}: {
  db: Db;
  archived: boolean;
  values?: OfferValues;
  errors?: string[];
  query?: Record<string, string>;
}) {
  const [rows, figures] = await Promise.all([
    listOffers(db, { includeArchived: archived }),
    listFigures(db, "offer", query),
  ]);
  return (
    <Layout title="Offers" active="/admin/offers">
      <FiguresRange action="/admin/offers" figures={figures} />
      <OfferTable rows={rows} showingArchived={archived} figures={figures} />
      <h2>New offer</h2>
      <OfferForm action="/admin/offers" values={values} errors={errors} submit="Create offer" />
    </Layout>
  );
}

function EditPage({ id, values, errors }: { id: number; values: OfferValues; errors?: string[] }) {
  return (
    <Layout title={`Edit offer ${id}`} active="/admin/offers">
      <OfferForm action={`/admin/offers/${id}`} values={values} errors={errors} submit="Save offer" />
      <p>
        <a href="/admin/offers">Back to offers</a>
      </p>
    </Layout>
  );
}

export const offerPages = new Hono<AppEnv>()
  .get("/", (c) => c.html(<ListPage db={c.var.db} archived={c.req.query("archived") === "1"} query={c.req.query()} />))
  .post("/", async (c) => {
    const values = await readForm(c);
    const parsed = parseForm(offerForm, values, OFFER_LABELS);
    if (!parsed.ok)
      return c.html(<ListPage db={c.var.db} archived={false} values={values} errors={parsed.errors} />, parsed.status);
    await createOffer(c.var.db, parsed.data);
    return c.redirect("/admin/offers", 303);
  })
  .get("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "Offer");
    const row = await getOffer(c.var.db, id);
    if (!row) return notFoundPage(c);
    return c.html(<EditPage id={id} values={offerValues(row)} />);
  })
  .post("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "Offer");
    const values = await readForm(c);
    const parsed = parseForm(offerForm, values, OFFER_LABELS);
    if (!parsed.ok) return c.html(<EditPage id={id} values={values} errors={parsed.errors} />, parsed.status);
    if (!(await updateOffer(c.var.db, id, parsed.data))) return notFoundPage(c);
    return c.redirect("/admin/offers", 303);
  })
  .route("/", archiveRoutes({ list: "/admin/offers", noun: "Offer", update: updateOffer }));
