import { Hono } from "hono";
import { z } from "zod";
import { isUniqueViolation } from "../../lib/db";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import {
  CONVERSION_TYPE_NAME,
  conversionTypeJson,
  createConversionType,
  getConversionType,
  getConversionTypeByName,
  listConversionTypes,
  updateConversionType,
} from "./queries";

const typeBody = z.strictObject({
  name: z.string().trim().regex(CONVERSION_TYPE_NAME, "must be 1-64 characters of A-Z, a-z, 0-9, _ or -"),
  includeInConversions: z.boolean().default(true),
});

const taken = (name: string) => new ApiError("conflict", `A conversion type named "${name}" already exists`);

export const conversionTypesApi = new Hono<AppEnv>()
  .post("/", validate("json", typeBody), async (c) => {
    const body = c.req.valid("json");
    const row = await createConversionType(c.var.db, body);
    if (!row) throw taken(body.name);
    return c.json(conversionTypeJson(row), 201);
  })
  .get("/", async (c) => {
    const rows = await listConversionTypes(c.var.db, { includeArchived: c.req.query("archived") === "1" });
    return c.json({ conversionTypes: rows.map(conversionTypeJson) });
  })
  .get("/:id", async (c) => {
    const row = await getConversionType(c.var.db, parseId(c.req.param("id"), "Conversion type"));
    if (!row) throw new ApiError("not_found", "Conversion type not found");
    return c.json(conversionTypeJson(row));
  })
  .patch(
    "/:id",
    validate("json", typeBody.partial().extend({ archived: z.boolean().optional() }).strict()),
    async (c) => {
      const id = parseId(c.req.param("id"), "Conversion type");
      const patch = c.req.valid("json");
      if (patch.name !== undefined) {
        const other = await getConversionTypeByName(c.var.db, patch.name);
        if (other && other.id !== id) throw taken(patch.name);
      }
      const row = await updateConversionType(c.var.db, id, patch).catch((err) => {
        if (isUniqueViolation(err)) throw taken(patch.name ?? "");
        throw err;
      });
      if (!row) throw new ApiError("not_found", "Conversion type not found");
      return c.json(conversionTypeJson(row));
    },
  )
  .delete("/:id", async (c) => {
    const row = await updateConversionType(c.var.db, parseId(c.req.param("id"), "Conversion type"), { archived: true });
    if (!row) throw new ApiError("not_found", "Conversion type not found");
    return c.json(conversionTypeJson(row));
  });
