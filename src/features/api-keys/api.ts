import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { nameSchema } from "../../lib/names";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import { roleSchema } from "../users/schema";
import { createKey, getKey, keyJson, listKeys, revokeKey } from "./queries";

export const keyBody = z.strictObject({ name: nameSchema, role: roleSchema });

/** API keys (admins only). The key itself is in the 201 answer and nowhere else, ever. */
export const keysApi = new Hono<AppEnv>()
  .post("/", validate("json", keyBody), async (c) => {
    const { row, key } = await createKey(c.var.db, c.req.valid("json"));
    return c.json({ id: row.id, name: row.name, role: row.role, key, prefix: row.prefix }, 201);
  })
  .get("/", async (c) => c.json({ keys: (await listKeys(c.var.db)).map(keyJson) }))
  .get("/:id", async (c) => {
    const row = await getKey(c.var.db, parseId(c.req.param("id"), "Key"));
    if (!row) throw new ApiError("not_found", "Key not found");
    return c.json(keyJson(row));
  })
  .delete("/:id", async (c) => {
    const row = await revokeKey(c.var.db, parseId(c.req.param("id"), "Key"));
    if (!row) throw new ApiError("not_found", "Key not found");
    return c.json(keyJson(row));
  });
