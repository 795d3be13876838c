import { Hono } from "hono";
import type { Child } from "hono/jsx";
import type { Db } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { parseId } from "../../lib/params";
import { notFoundPage } from "../../ui/errors";
import { parseForm, readForm } from "../../ui/forms";
import { Layout } from "../../ui/layout";
import { keyBody } from "./api";
import { createKey, listKeys, revokeKey } from "./queries";
import { KeyTable, NewKey, NewKeyForm } from "./views";

async function KeysPage({ db, top, form }: { db: Db; top?: Child; form?: Child }) {
  return (
    <Layout title="API keys" active="/admin/keys">
      {top}
      <KeyTable rows={await listKeys(db)} />
      <h2>New key</h2>
      {form ?? <NewKeyForm />}
    </Layout>
  );
}

export const keyPages = new Hono<AppEnv>()
  .get("/", (c) => c.html(<KeysPage db={c.var.db} />))
  .post("/", async (c) => {
    const form = await readForm(c);
    const parsed = parseForm(keyBody, { name: form.name, role: form.role }, { name: "Name", role: "Role" });
    if (!parsed.ok)
      return c.html(
        <KeysPage db={c.var.db} form={<NewKeyForm errors={parsed.errors} name={form.name} />} />,
        parsed.status,
      );
    // Answered with the page itself (no redirect), so the key never sits in a URL or history entry.
    const { row, key } = await createKey(c.var.db, parsed.data);
    return c.html(<KeysPage db={c.var.db} top={<NewKey name={row.name} keyText={key} />} />, 201);
  })
  .post("/:id/revoke", async (c) => {
    if (!(await revokeKey(c.var.db, parseId(c.req.param("id"), "Key")))) return notFoundPage(c);
    return c.redirect("/admin/keys", 303);
  });
