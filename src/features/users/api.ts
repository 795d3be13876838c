import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import { createUser, getUser, listUsers, updateUser, userJson } from "./queries";
import { userBody, userPatch } from "./schema";

/** Users of the admin pages (admins only, see src/features/access/table.ts). DELETE disables. */
export const usersApi = new Hono<AppEnv>()
  .post("/", validate("json", userBody), async (c) =>
    c.json(userJson(await createUser(c.var.db, c.req.valid("json"))), 201),
  )
  .get("/", async (c) => c.json({ users: (await listUsers(c.var.db)).map(userJson) }))
  .get("/:id", async (c) => {
    const row = await getUser(c.var.db, parseId(c.req.param("id"), "User"));
    if (!row) throw new ApiError("not_found", "User not found");
    return c.json(userJson(row));
  })
  .patch("/:id", validate("json", userPatch), async (c) => {
    const row = await updateUser(c.var.db, parseId(c.req.param("id"), "User"), c.req.valid("json"));
    if (!row) throw new ApiError("not_found", "User not found");
    return c.json(userJson(row));
  })
  .delete("/:id", async (c) => {
    const row = await updateUser(c.var.db, parseId(c.req.param("id"), "User"), { disabled: true });
    if (!row) throw new ApiError("not_found", "User not found");
    return c.json(userJson(row));
  });
