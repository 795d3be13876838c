import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { parseId } from "../../lib/params";
import { notFoundPage } from "../../ui/errors";
import { parseForm, readForm, submitForm } from "../../ui/forms";
import { Layout } from "../../ui/layout";
import { createUser, getUser, listUsers, updateUser } from "./queries";
import { USER_LABELS, userBody, userForm } from "./schema";
import { EditUserForm, NewUserForm, UserTable } from "./views";

export const userPages = new Hono<AppEnv>()
  .get("/", async (c) =>
    c.html(
      <Layout title="Users" active="/admin/users">
        <UserTable rows={await listUsers(c.var.db)} />
        <h2>New user</h2>
        <NewUserForm />
      </Layout>,
    ),
  )
  .post("/", async (c) => {
    const form = await readForm(c);
    const { password: _password, ...values } = form;
    const parsed = parseForm(userBody, form, USER_LABELS);
    const saved = parsed.ok ? await submitForm(USER_LABELS, () => createUser(c.var.db, parsed.data)) : parsed;
    if (saved.ok) return c.redirect("/admin/users", 303);
    // The password is not sent back into the page.
    return c.html(
      <Layout title="Users" active="/admin/users">
        <UserTable rows={await listUsers(c.var.db)} />
        <h2>New user</h2>
        <NewUserForm values={values} errors={saved.errors} />
      </Layout>,
      saved.status,
    );
  })
  .get("/:id", async (c) => {
    const user = await getUser(c.var.db, parseId(c.req.param("id"), "User"));
    if (!user) return notFoundPage(c);
    return c.html(
      <Layout title={`User ${user.email}`} active="/admin/users">
        <EditUserForm user={user} />
      </Layout>,
    );
  })
  .post("/:id", async (c) => {
    const id = parseId(c.req.param("id"), "User");
    const parsed = parseForm(userForm, await readForm(c), USER_LABELS);
    if (parsed.ok && (await updateUser(c.var.db, id, parsed.data))) return c.redirect("/admin/users", 303);
    const user = await getUser(c.var.db, id);
    if (!user || parsed.ok) return notFoundPage(c);
    return c.html(
      <Layout title={`User ${user.email}`} active="/admin/users">
        <EditUserForm user={user} errors={parsed.errors} />
      </Layout>,
      parsed.status,
    );
  });
